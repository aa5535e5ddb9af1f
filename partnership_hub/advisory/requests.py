"""The advisory area's requests section (issue #13): services and reads. (Being built.)"""
