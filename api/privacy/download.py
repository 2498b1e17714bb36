"""`GET /exports/<token>`: the archive a data-export link opens (see `api.privacy.export`)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.datastructures import State
from litestar.response import Response

from api.privacy.export import DownloadRefused, open_download

_NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _refused(status: int, code: str, message: str) -> Response[dict[str, Any]]:
    return Response(
        {"error": {"code": code, "message": message}},
        status_code=status,
        headers=_NO_STORE,
        media_type="application/json",
    )


@get("/exports/{token:str}", include_in_schema=False)
async def data_export_download(request: Request[Any, Any, Any], state: State) -> Response[Any]:
    """The archive as an attachment; 404 for a link this server never made, 410 for one that
    expired or was replaced by a newer export."""
    token = str(request.path_params["token"])
    try:
        download = await open_download(state.settings, token)
    except DownloadRefused as refused:
        if refused.gone:
            return _refused(
                410,
                "EXPORT_EXPIRED",
                "This download link has expired (or a newer export replaced it) and the file "
                "was deleted. Ask for a new export with requestDataExport.",
            )
        return _refused(
            404, "EXPORT_NOT_FOUND", "This download link is not valid: check it was copied whole."
        )
    return Response(
        download.path.read_bytes(),
        media_type="application/json",
        headers={
            **_NO_STORE,
            "Content-Disposition": f'attachment; filename="{download.file_name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
