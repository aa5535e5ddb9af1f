"""Tables of the advisory area's consent section. (Being built.)"""

__all__: list[str] = []
