"""Goals: shared goals with measurable objectives, progress updates, endorsements and reports."""
