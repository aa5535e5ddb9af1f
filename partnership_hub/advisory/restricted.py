"""The advisory area's restricted section (issue #13): services and reads. (Being built.)"""
