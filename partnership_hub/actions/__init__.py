"""Actions: the partnership's action plan. One ActionItem model serves the whole product; goals link
to it here, and meetings will add where an item came from."""
