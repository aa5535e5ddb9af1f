"""Funding (issue #14): the partnership's funding pipeline and its in-kind resources."""
