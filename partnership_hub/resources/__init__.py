"""Resources: the community resource map — services for survivors in the region."""
