from ticketing.common.numbering import NumberCounter

__all__ = ["NumberCounter"]
