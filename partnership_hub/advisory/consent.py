"""The advisory area's consent section (issue #13): services and reads. (Being built.)"""
