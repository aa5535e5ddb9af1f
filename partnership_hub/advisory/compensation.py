"""The advisory area's compensation section (issue #13): services and reads. (Being built.)"""
