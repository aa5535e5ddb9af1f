"""Members: the partnership's organizations, their sectors and representatives, sector coverage
and linked networks."""
