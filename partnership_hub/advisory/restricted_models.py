"""Tables of the advisory area's restricted section. (Being built.)"""

__all__: list[str] = []
