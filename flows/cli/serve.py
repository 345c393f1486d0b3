"""``genelit review serve``: the review web app over the evidence store, for curators in a browser."""
from __future__ import annotations

import socket
import threading

import typer
from genelit.flows.cli.app import console
from genelit.flows.cli.review import review_app

from genelit.config import settings
from genelit.errors import InputError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
TOKEN_ENV = "GENELIT_REVIEW_TOKEN"


@review_app.command("serve")
def serve(
    host: str = typer.Option(DEFAULT_HOST, "--host", help="Address to listen on. Anything but loopback needs a token."),
    port: int = typer.Option(DEFAULT_PORT, "--port", help="Port to listen on."),
    token: str = typer.Option(
        None, "--token", envvar=TOKEN_ENV, show_envvar=True,
        help="Access token every request must carry (required to listen beyond this machine).",
    ),
) -> None:
    """Review records in a browser: a queue, each paper with its evidence highlighted, accept / reject /
    edit with the same checks as `review edit`, history, and a gene page with the draft ClinGen summary.

    Open the printed address; keys: j/k move, a accept, r reject, e edit.

    Example: `genelit review serve` then open http://127.0.0.1:8765/
    """
    # heavy imports here, so the rest of the CLI starts fast
    import uvicorn
    from genelit.flows.web import create_app
    from genelit.flows.web.security import LOOPBACK_NAMES, check_bind, is_loopback
    from genelit.models.store import Store
    from genelit.outputs.edits import load_lexicons

    check_bind(host, token)
    listening = _listen(host, port)
    store = Store(settings().db_url)
    allowed = (LOOPBACK_NAMES | {host.strip("[]").lower()}) if is_loopback(host) else None
    app = create_app(store, token=token or None, allowed_hosts=allowed)
    # the first edit checks values against the gene and HPO lexicons: load them while the curator reads
    threading.Thread(target=load_lexicons, name="genelit-lexicons", daemon=True).start()
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    console.print(f"genelit review app on {url}  (Ctrl-C stops it)", highlight=False, soft_wrap=True)
    try:
        uvicorn.Server(uvicorn.Config(app, log_level="warning", server_header=False)).run(sockets=[listening])
    finally:
        store.close()
        listening.close()


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, opened here so that a taken port is a one-line error (exit code 2)."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listening = socket.socket(family, socket.SOCK_STREAM)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host.strip("[]"), port))
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return listening
