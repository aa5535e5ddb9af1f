"""Tables of the advisory area's framework section. (Being built.)"""

__all__: list[str] = []
