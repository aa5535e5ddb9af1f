"""Tables of the advisory area's compensation section. (Being built.)"""

__all__: list[str] = []
