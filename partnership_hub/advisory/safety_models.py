"""Tables of the advisory area's safety section. (Being built.)"""

__all__: list[str] = []
