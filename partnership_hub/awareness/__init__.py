"""Awareness days and campaigns (issue #14): the toolkit's cause awareness days and the
partnership's own, their date rules, and the campaign plans made around them."""
