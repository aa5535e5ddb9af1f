"""Tables of the advisory area's requests section. (Being built.)"""

__all__: list[str] = []
