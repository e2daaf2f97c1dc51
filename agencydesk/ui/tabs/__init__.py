"""The five list tabs, each a small class on ``BaseTab``."""

from agencydesk.ui.tabs.base import BaseTab
from agencydesk.ui.tabs.customers import CustomersTab
from agencydesk.ui.tabs.leads import LeadsTab
from agencydesk.ui.tabs.policies import PoliciesTab
from agencydesk.ui.tabs.tasks import TasksTab
from agencydesk.ui.tabs.threads import ThreadsTab

TAB_CLASSES: tuple[type[BaseTab], ...] = (
    LeadsTab,
    CustomersTab,
    PoliciesTab,
    ThreadsTab,
    TasksTab,
)

__all__ = [
    "TAB_CLASSES",
    "BaseTab",
    "CustomersTab",
    "LeadsTab",
    "PoliciesTab",
    "TasksTab",
    "ThreadsTab",
]
