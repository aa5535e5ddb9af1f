"""The advisory area's framework section (issue #13): services and reads. (Being built.)"""
