"""The one single-user identity, the same in the app and the CLI.

With ``BUURTKAART_SINGLE_USER=1`` there are no logins and no roles; every
write is attributed to :data:`SINGLE_USER_NAME`.
"""

from __future__ import annotations

#: Author of every write in single-user mode (app and CLI alike).
SINGLE_USER_NAME = "lokale-gebruiker"
