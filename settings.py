"""Settings read from the environment, with defaults that work for a user with internet.

Every setting has an environment variable so tests, CI and deployments can change it without
code: the providers' base URLs, the data folder, network timeouts and the server address.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
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


def _env_number(name: str, default: float, kind: type) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return kind(value)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise BadSetting(f"{name}={value!r}: expected {what}") from None


def _env_float(name: str, default: float) -> float:
    return _env_number(name, default, float)


def _env_int(name: str, default: int) -> int:
    return int(_env_number(name, default, int))


def _env_switch(name: str, default: bool) -> bool:
    """on/off, yes/no, true/false or 1/0; anything else is an error, not a silent default."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("on", "yes", "true", "1"):
        return True
    if value in ("off", "no", "false", "0"):
        return False
    raise BadSetting(f"{name}={value!r}: use on or off")


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
        """Settings with any BAROMETER_* environment variables applied."""
        env = os.environ
        base = cls()
        return cls(
            dst_base_url=env.get("BAROMETER_DST_URL", base.dst_base_url).rstrip("/"),
            ssb_base_url=env.get("BAROMETER_SSB_URL", base.ssb_base_url).rstrip("/"),
            fhi_base_url=env.get("BAROMETER_FHI_URL", base.fhi_base_url).rstrip("/"),
            imdi_base_url=env.get("BAROMETER_IMDI_URL", base.imdi_base_url).rstrip("/"),
            imdi_enabled=_env_switch("BAROMETER_IMDI", base.imdi_enabled),
            data_dir=Path(env.get("BAROMETER_DATA_DIR", str(base.data_dir))),
            connect_timeout=_env_float("BAROMETER_CONNECT_TIMEOUT", base.connect_timeout),
            read_timeout=_env_float("BAROMETER_READ_TIMEOUT", base.read_timeout),
            retries=_env_int("BAROMETER_RETRIES", base.retries),
            backoff_base=_env_float("BAROMETER_BACKOFF", base.backoff_base),
            backoff_max=_env_float("BAROMETER_BACKOFF_MAX", base.backoff_max),
            dst_cell_limit=_env_int("BAROMETER_DST_CELL_LIMIT", base.dst_cell_limit),
            ssb_cell_limit=_env_int("BAROMETER_SSB_CELL_LIMIT", base.ssb_cell_limit),
            fhi_row_limit=_env_int("BAROMETER_FHI_ROW_LIMIT", base.fhi_row_limit),
            ssb_calls_per_minute=_env_int("BAROMETER_SSB_CALLS_PER_MINUTE", 30),
            dst_calls_per_minute=_env_int("BAROMETER_DST_CALLS_PER_MINUTE", 120),
            fhi_calls_per_minute=_env_int("BAROMETER_FHI_CALLS_PER_MINUTE", 30),
            imdi_calls_per_minute=_env_int("BAROMETER_IMDI_CALLS_PER_MINUTE", 30),
            geo_dk_url=env.get("BAROMETER_GEO_DK_URL", base.geo_dk_url),
            geo_no_url=env.get("BAROMETER_GEO_NO_URL", base.geo_no_url),
        )
