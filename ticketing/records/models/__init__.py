from .catalogue import Expense, Service
from .contracts import ServiceContract
from .documents import TicketDocument
from .hub import Activity
from .projects import Project, Timesheet
from .sales import Quote, SalesOrder

__all__ = [
    "Activity",
    "Expense",
    "Project",
    "Quote",
    "SalesOrder",
    "Service",
    "ServiceContract",
    "TicketDocument",
    "Timesheet",
]
