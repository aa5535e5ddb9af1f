"""The survivor advisory board, its restricted area, and trauma-informed practice (issue #13)."""
