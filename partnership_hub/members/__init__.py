"""Members: the partnership's organizations, their sectors and representatives, sector coverage,
linked networks, the planning team and orientation, the community resource map and the toolkit
setup guide."""
