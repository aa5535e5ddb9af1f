"""Tables of the advisory area's assessment section. (Being built.)"""

__all__: list[str] = []
