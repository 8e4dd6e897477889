from .catalogue import Expense, Product, Service
from .email import EmailMessage, EmailTemplate
from .hub import Activity
from .parties import Account, Asset, Contact, ServiceContract, Vendor
from .projects import Project, Timesheet
from .sales import Quote, SalesOrder
from .tickets import (
    Ticket,
    TicketCategory,
    TicketCounter,
    TicketStatusChange,
)
from .versioned import EditConflict, Versioned

__all__ = [
    "Account",
    "Activity",
    "Asset",
    "Contact",
    "EditConflict",
    "EmailMessage",
    "EmailTemplate",
    "Expense",
    "Product",
    "Project",
    "Quote",
    "SalesOrder",
    "Service",
    "ServiceContract",
    "Ticket",
    "TicketCategory",
    "TicketCounter",
    "TicketStatusChange",
    "Timesheet",
    "Vendor",
    "Versioned",
]
