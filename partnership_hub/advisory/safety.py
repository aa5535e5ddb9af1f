"""The advisory area's safety section (issue #13): services and reads. (Being built.)"""
