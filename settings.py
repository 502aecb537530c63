"""Settings read from the environment, with defaults that work for a user with internet.

Every setting has an environment variable so tests, CI and deployments can change it without
code: the providers' base URLs, the data folder, network timeouts and the server address.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent

DST_BASE_URL = "https://api.statbank.dk/v1"
SSB_BASE_URL = "https://data.ssb.no/api/pxwebapi/v2"
# FHI's open statistics API (folkehelseinstituttet/Fhi.Statistikk.OpenAPI README, "Swagger").
FHI_BASE_URL = "https://statistikk-data.fhi.no/api/open/v1"
# IMDi's statistics back end: the host behind its "download CSV" buttons (seen in a county's
# public scripts, evensrii/Telemark, and named IMDi's backend by a third-party ingest note);
# not a documented API, so it can be switched off (BAROMETER_IMDI=off).
IMDI_BASE_URL = "https://app-simapi-prod.azurewebsites.net"
# Municipality boundaries for the map (see loaders/geo.py), pinned to the commits the
# reference copies in ../shared/data/geo/ were taken from.
GEO_DK_URL = "https://raw.githubusercontent.com/Neogeografen/dagi/a1c1563/geojson/kommuner.geojson"
GEO_NO_URL = (
    "https://raw.githubusercontent.com/robhop/fylker-og-kommuner/ae87825/Kommuner-S.geojson"
)


class BadSetting(ValueError):
    """An environment variable whose value cannot be used: the command prints this, no
    traceback."""


def _env_value(name: str, text: str, kind: type) -> object:
    """An environment variable's text as the setting's type; BadSetting if it is not one."""
    if kind is bool:  # on/off, yes/no, true/false or 1/0; never a silent default
        switch = {"on": True, "yes": True, "true": True, "1": True}
        switch |= {"off": False, "no": False, "false": False, "0": False}
        if text.lower() not in switch:
            raise BadSetting(f"{name}={text!r}: use on or off")
        return switch[text.lower()]
    if kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            raise BadSetting(f"{name}={text!r}: expected {what}") from None
    if issubclass(kind, Path):
        return Path(text)
    return text.rstrip("/")  # a URL


@dataclass(frozen=True)
class Settings:
    """Where data comes from and goes to, and how patiently we ask for it."""

    dst_base_url: str = DST_BASE_URL
    ssb_base_url: str = SSB_BASE_URL
    fhi_base_url: str = FHI_BASE_URL
    imdi_base_url: str = IMDI_BASE_URL
    # IMDi publishes no API and no licence: its downloads can be left out altogether.
    imdi_enabled: bool = True
    data_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "data")
    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    retries: int = 4
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    # Cell limits per request as the providers state them.
    dst_cell_limit: int = 1_000_000
    ssb_cell_limit: int = 800_000
    # FHI refuses an answer of more rows than the request's own maxRowCount; we send this one.
    fhi_row_limit: int = 50_000
    # Politeness: SSB allows 30 calls a minute; we never go above it.
    ssb_calls_per_minute: int = 30
    dst_calls_per_minute: int = 120
    # FHI and IMDi state no limits; we ask as gently as of Statistics Norway.
    fhi_calls_per_minute: int = 30
    imdi_calls_per_minute: int = 30
    geo_dk_url: str = GEO_DK_URL
    geo_no_url: str = GEO_NO_URL

    @property
    def database_path(self) -> Path:
        return self.data_dir / "barometer.duckdb"

    @property
    def versions_dir(self) -> Path:
        return self.data_dir / "versions"

    @classmethod
    def from_env(cls) -> Settings:
        """Settings with any BAROMETER_* environment variables applied (ENVIRONMENT)."""
        base = cls()
        changes = {}
        for name, variable in ENVIRONMENT.items():
            text = os.environ.get(variable, "").strip()
            if text:
                changes[name] = _env_value(variable, text, type(getattr(base, name)))
        return replace(base, **changes)


# The environment variable of each setting; its value is read as the setting's type.
ENVIRONMENT = {
    "dst_base_url": "BAROMETER_DST_URL",
    "ssb_base_url": "BAROMETER_SSB_URL",
    "fhi_base_url": "BAROMETER_FHI_URL",
    "imdi_base_url": "BAROMETER_IMDI_URL",
    "imdi_enabled": "BAROMETER_IMDI",
    "data_dir": "BAROMETER_DATA_DIR",
    "connect_timeout": "BAROMETER_CONNECT_TIMEOUT",
    "read_timeout": "BAROMETER_READ_TIMEOUT",
    "retries": "BAROMETER_RETRIES",
    "backoff_base": "BAROMETER_BACKOFF",
    "backoff_max": "BAROMETER_BACKOFF_MAX",
    "dst_cell_limit": "BAROMETER_DST_CELL_LIMIT",
    "ssb_cell_limit": "BAROMETER_SSB_CELL_LIMIT",
    "fhi_row_limit": "BAROMETER_FHI_ROW_LIMIT",
    "ssb_calls_per_minute": "BAROMETER_SSB_CALLS_PER_MINUTE",
    "dst_calls_per_minute": "BAROMETER_DST_CALLS_PER_MINUTE",
    "fhi_calls_per_minute": "BAROMETER_FHI_CALLS_PER_MINUTE",
    "imdi_calls_per_minute": "BAROMETER_IMDI_CALLS_PER_MINUTE",
    "geo_dk_url": "BAROMETER_GEO_DK_URL",
    "geo_no_url": "BAROMETER_GEO_NO_URL",
}
