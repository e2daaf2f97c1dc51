"""AgencyZoom's V4SSO sign-in from the account form: the flow is ``services.agencyzoom_sign_in``'s
(the CLI runs the same); here the user's browser opens the sign-in page and the code shown after
signing in is pasted into a (non-modal-blocking) input dialog. Everything is awaited on the
qasync loop: the GUI thread is never blocked."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QWidget

from agencydesk.services.accounts import AccountDraft, CheckResult
from agencydesk.services.agencyzoom_sign_in import check_v4sso
from agencydesk.store.ledgers import AccountRow
from agencydesk.sync.registry import AccountRegistry


class V4ssoSignIn:
    """One V4SSO sign-in from the form; ``jwt`` holds the token once it succeeded."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.code_dialog: QInputDialog | None = None  # open while waiting for the user's code
        self.jwt = ""
        # The user's browser. A test gives its own (PySide6 6.12's setUrlHandler rejects every
        # receiver, so QDesktopServices cannot be pointed elsewhere).
        self.open_browser: Callable[[QUrl], object] = QDesktopServices.openUrl

    async def check(
        self,
        draft: AccountDraft,
        http: httpx.AsyncClient | None,
        registry: AccountRegistry | None = None,
        editing: AccountRow | None = None,
    ) -> CheckResult:
        """Sign in through the code flow (``services.agencyzoom_sign_in``); never raises for
        what the vendor or the user did."""
        checked = await check_v4sso(draft, http, self.ask_code, registry, editing)
        self.jwt = checked.jwt or self.jwt
        return checked.result

    async def ask_code(self, sign_in_page: str) -> str:
        """Open the vendor's sign-in page in the user's browser, then wait (without blocking)
        for the code they paste ('' when they give none)."""
        self.open_browser(QUrl(sign_in_page))
        dialog = QInputDialog(self.parent)
        dialog.setObjectName("v4sso_code_dialog")
        dialog.setWindowTitle("AgencyZoom single sign-on")
        dialog.setLabelText(
            "Your browser opened AgencyZoom's sign-in page.\n"
            "Sign in there, then paste the code it shows here:"
        )
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def finished(result: int) -> None:
            if not done.done():
                done.set_result(int(result))

        dialog.finished.connect(finished)
        self.code_dialog = dialog
        dialog.open()
        try:
            result = await done
            code = dialog.textValue().strip()
        finally:
            self.code_dialog = None
            dialog.deleteLater()
        return code if result == QDialog.DialogCode.Accepted.value else ""
