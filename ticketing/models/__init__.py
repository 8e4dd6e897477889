from .catalogue import Product
from .parties import Account, Asset, Contact, Vendor
from .tickets import (
    EditConflict,
    Ticket,
    TicketCategory,
    TicketCounter,
    TicketStatusChange,
)

__all__ = [
    "Account",
    "Asset",
    "Contact",
    "EditConflict",
    "Product",
    "Ticket",
    "TicketCategory",
    "TicketCounter",
    "TicketStatusChange",
    "Vendor",
]
