"""The advisory area's assessment section (issue #13): services and reads. (Being built.)"""
