"""The demo population behind every simulated table, deterministic from a seed.

One model per country, so that the tables agree with each other: the population of a
municipality by origin group, sex and single year of age at any moment, plus the shares of
that population in employment, education levels and cash benefits. Each provider module
reads these arrays and only reshapes and sums them.

Origin groups (axis `group`, five entries in this order):
  Denmark: 0 Danish origin, 1 immigrants Western, 2 immigrants non-Western,
           3 descendants Western, 4 descendants non-Western (FOLK1E codes 1, 24, 25, 34, 35);
  Norway:  0 rest of the population, 1 immigrants country group 1, 2 immigrants country
           group 2, 3 Norwegian-born to immigrant parents group 1, 4 the same, group 2.
Time is a float year: 2021.25 is the start of 2021's second quarter.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from loaders.municipalities import list_municipalities

N_GROUPS = 5
IMMIGRANTS = (1, 2)
TARGET = (2, 4)  # the non-Western / country group 2 groups

# Statistics Denmark's recorded FOLK1E figure for Ballerup (151), 2021K2, by origin group.
BALLERUP_2021K2 = (40_272, 1_589, 4_317, 350, 2_582)

# Education levels of LIGEUB1 (HFUDD leaves) in model order.
EDUCATION_LEVELS = ("H10", "H20", "H30", "H35", "H40", "H50", "H60", "H70", "H80", "H90")
# Benefit types of KY038 (YDELSESTYPE leaves) in model order.
BENEFIT_TYPES = (
    "10050",
    "10025",
    "10060",
    "10070",
    "10020",
    "10040",
    "10032",
    "10035",
    "10030",
)


def apportion(totals: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Split integer totals into integer parts proportional to weights (largest remainder).

    `totals` has shape S, `weights` shape S + (k,); the result has the weights' shape and
    its last axis sums exactly to `totals`.
    """
    totals = np.asarray(totals, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    k = weights.shape[-1]
    sums = weights.sum(axis=-1, keepdims=True)
    shares = np.divide(weights, sums, out=np.full_like(weights, 1.0 / k), where=sums > 0)
    quotas = totals[..., None] * shares
    parts = np.floor(quotas)
    missing = np.rint(totals - parts.sum(axis=-1)).astype(np.int64)
    order = np.argsort(parts - quotas, axis=-1, kind="stable")  # largest fraction first
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(k), axis=-1)
    parts += ranks < missing[..., None]
    return parts.astype(np.int64)


def _logistic(x: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


@dataclass(frozen=True)
class Country:
    """The demo population of one country; build it with `denmark(seed)` or `norway(seed)`."""

    name: str
    codes: tuple[str, ...]  # area codes, the order of the `area` axis
    base: np.ndarray  # [area, group] persons at t_ref (integers)
    t_ref: float
    growth: np.ndarray  # [area, group] yearly log growth
    bumps: np.ndarray  # [group, 2] log jumps around the 2015 and 2022 refugee arrivals
    urban: np.ndarray  # [area] standardised log size, clipped to [-1.5, 2]
    max_age: int  # the last age is open ("and over")
    group_logit: np.ndarray  # [group] employment level
    emp_effect: np.ndarray  # [area] municipal employment level
    gap_effect: np.ndarray  # [area] extra distance of the target groups
    benefit_effect: np.ndarray  # [area]
    edu_effect: np.ndarray  # [area]

    @property
    def ages(self) -> np.ndarray:
        return np.arange(self.max_age + 1)

    def group_totals(self, times: np.ndarray) -> np.ndarray:
        """Persons by [area, group, time] (integers); exact `base` at `t_ref`."""
        t = np.asarray(times, dtype=np.float64)[None, None, :]
        log_factor = self.growth[:, :, None] * (t - self.t_ref)
        for k, centre in enumerate((2015.9, 2022.4)):
            step = _logistic((t - centre) / 0.35) - _logistic((self.t_ref - centre) / 0.35)
            log_factor = log_factor + self.bumps[None, :, k, None] * step
        return np.rint(self.base[:, :, None] * np.exp(log_factor)).astype(np.int64)

    def population(self, times: np.ndarray) -> np.ndarray:
        """Persons by [area, group, time, sex (men, women), age] as int32."""
        times = np.asarray(times, dtype=np.float64)
        totals = self.group_totals(times)
        n_area, n_age = len(self.codes), self.max_age + 1
        out = np.empty((n_area, N_GROUPS, len(times), 2, n_age), dtype=np.int32)
        tilt = self._age_tilt()  # [area, age]
        for g in range(N_GROUPS):
            profile = _age_profile(g, times, self.ages)  # [time, sex, age]
            weights = profile[None, :, :, :] * tilt[:, None, None, :]
            parts = apportion(totals[:, g, :], weights.reshape(n_area, len(times), 2 * n_age))
            out[:, g] = parts.reshape(n_area, len(times), 2, n_age)
        return out

    def _age_tilt(self) -> np.ndarray:
        """Cities have more young adults and fewer old people than rural municipalities."""
        a = self.ages[None, :]
        young = np.exp(-0.5 * ((a - 28) / 7.0) ** 2)
        old = (a >= 65).astype(np.float64)
        u = self.urban[:, None]
        return np.exp(0.35 * u * young - 0.15 * u * old)

    def employment_probability(self, times: np.ndarray) -> np.ndarray:
        """Probability of being employed by [area, group, time, sex, age]."""
        t = np.asarray(times, dtype=np.float64)[None, None, :, None, None]
        a = self.ages[None, None, None, None, :]
        g = np.arange(N_GROUPS)[None, :, None, None, None]
        women = np.array([0.0, 1.0])[None, None, None, :, None]
        target = np.isin(g, TARGET)
        logit = (
            self.group_logit[None, :, None, None, None]
            + np.interp(a, _AGE_KNOTS, _AGE_LOGIT)
            + self.emp_effect[:, None, None, None, None]
            + np.where(target, -self.gap_effect[:, None, None, None, None], 0.0)
            + women * np.where(g == 2, -0.6, -0.2)
            + (t - 2015.0) * np.where(target, 0.03, 0.01)
            - 0.2 * np.exp(-0.5 * ((t - 2011.5) / 1.5) ** 2)
            - 0.1 * np.exp(-0.5 * ((t - 2020.6) / 0.4) ** 2)
        )
        return np.where(a < 15, 0.0, _logistic(logit))

    def unemployment_share(self) -> np.ndarray:
        """Share of the non-employed who are unemployed, by [group, age] (ages 16-66)."""
        a = self.ages[None, :]
        level = np.where(np.isin(np.arange(N_GROUPS), TARGET), 0.18, 0.13)[:, None]
        return np.where((a >= 16) & (a <= 66), level, 0.0)

    def benefit_rate(self, times: np.ndarray) -> np.ndarray:
        """Full-year cash-benefit recipients per person aged 16-64, by [area, group, time]."""
        t = np.asarray(times, dtype=np.float64)[None, None, :]
        base = np.array([_logit(p) for p in (0.022, 0.02, 0.085, 0.025, 0.05)])
        logit = (
            base[None, :, None]
            + self.benefit_effect[:, None, None]
            + np.where(np.arange(N_GROUPS) == 2, 0.35, 0.0)[None, :, None]
            * np.exp(-0.5 * ((t - 2017.5) / 1.5) ** 2)
            + 0.1 * np.exp(-0.5 * ((t - 2011.5) / 1.5) ** 2)
            - 0.02 * np.clip(t - 2013.0, 0.0, None)
        )
        return _logistic(logit)

    def benefit_type_weights(self, years: np.ndarray) -> np.ndarray:
        """Weights of the KY038 benefit types by [group, time, type]; types per BENEFIT_TYPES."""
        y = np.asarray(years, dtype=np.float64)[None, :]
        g = np.arange(N_GROUPS)[:, None]
        foreigners = np.where(np.isin(g, IMMIGRANTS), np.where(y >= 2016, 0.45, 0.15), 0.0)
        columns = [
            np.full(y.shape, 0.50),  # 10050 kontanthjælp
            np.where(y >= 2014, 0.25, 0.0),  # 10025 uddannelseshjælp (2014-)
            np.full(y.shape, 0.04),  # 10060 løntilskud
            np.full(y.shape, 0.02),  # 10070 forrevalidering
            foreigners + np.where(g == 4, 0.02, 0.0),  # 10020 udlændinge, integrationsydelse
            np.full(y.shape, 0.06),  # 10040 revalideringsydelse
            np.select([y >= 2016, y >= 2015], [0.02, 0.005], 0.0),  # 10032 (October 2015-)
            np.where(y >= 2014, 0.05 * np.exp(-0.3 * np.clip(y - 2017, 0, None)), 0.0),  # 10035
            np.select([y <= 2013, y <= 2014], [0.04, 0.003], 0.0),  # 10030 (-January 2014)
        ]
        shape = (N_GROUPS, y.shape[1])
        return np.stack([np.broadcast_to(c, shape) for c in columns], axis=-1)

    def education_weights(self, times: np.ndarray, band_ages: list[range]) -> np.ndarray:
        """Weights of the education levels by [area, group, time, sex, band, level]."""
        t = np.asarray(times, dtype=np.float64)
        profiles = np.array([_EDUCATION_PROFILE[_education_stage(b)] for b in band_ages])
        higher = np.isin(EDUCATION_LEVELS, ("H40", "H50", "H60", "H70", "H80"))
        basic = np.array([level == "H10" for level in EDUCATION_LEVELS])
        trend = np.exp(0.015 * (t[:, None] - 2015.0) * (higher.astype(float) - basic))
        adult = np.array([b.start >= 20 for b in band_ages], dtype=np.float64)
        trend = trend[:, None, :] ** adult[None, :, None]  # [time, band, level]
        university = np.isin(EDUCATION_LEVELS, ("H60", "H70", "H80"))
        area = np.exp(self.edu_effect[:, None] * university[None, :])  # [area, level]
        return (
            area[:, None, None, None, None, :]
            * _EDUCATION_GROUP[None, :, None, None, None, :]
            * trend[None, None, :, None, :, :]
            * _EDUCATION_SEX[None, None, None, :, None, :]
            * profiles[None, None, None, None, :, :]
        )


# Employment by age: logit offsets at these ages, linearly in between.
_AGE_KNOTS = np.array([15, 17.5, 22, 27, 35, 50, 57, 62, 65.5, 70, 80])
_AGE_LOGIT = np.array([-1.3, -0.8, -0.2, 0.1, 0.45, 0.45, 0.2, -0.6, -2.0, -3.2, -4.5])

# Education: shares by life stage for the majority group, H10..H90.
_EDUCATION_PROFILE = np.array(
    [
        [0.88, 0.09, 0.02, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.01],  # 15-19
        [0.25, 0.50, 0.12, 0.01, 0.03, 0.02, 0.05, 0.01, 0.0, 0.01],  # 20-24
        [0.14, 0.17, 0.20, 0.01, 0.08, 0.16, 0.08, 0.14, 0.005, 0.005],  # 25-29
        [0.14, 0.06, 0.33, 0.01, 0.06, 0.20, 0.02, 0.15, 0.015, 0.005],  # 30-59
        [0.22, 0.04, 0.38, 0.01, 0.05, 0.18, 0.01, 0.08, 0.01, 0.01],  # 60-69
    ]
)
# Multipliers by origin group (foreign education is often not registered: H90).
_EDUCATION_GROUP = np.array(
    [
        [1.0] * 10,
        [0.8, 1.0, 0.6, 1.0, 1.0, 0.9, 1.2, 1.5, 1.5, 40.0],
        [2.0, 0.8, 0.5, 1.0, 0.6, 0.5, 0.6, 0.6, 0.5, 30.0],
        [1.1, 1.0, 0.9, 1.0, 1.0, 1.0, 1.0, 1.1, 1.0, 2.0],
        [1.4, 1.1, 0.8, 1.0, 0.8, 0.8, 0.9, 0.8, 0.6, 3.0],
    ]
)
_EDUCATION_SEX = np.array(
    [
        [1.05, 0.95, 1.2, 1.0, 1.1, 0.75, 1.0, 1.0, 1.1, 1.0],  # men
        [0.95, 1.05, 0.8, 1.0, 0.9, 1.3, 1.0, 1.0, 0.9, 1.0],  # women
    ]
)


def _education_stage(band: range) -> int:
    if band.start < 20:
        return 0
    if band.start < 25:
        return 1
    if band.start < 30:
        return 2
    return 3 if band.start < 60 else 4


def _age_profile(group: int, times: np.ndarray, ages: np.ndarray) -> np.ndarray:
    """Relative weights by [time, sex, age] for one origin group."""
    t = times[:, None]
    a = ages[None, :].astype(np.float64)
    majority = np.exp(-((np.maximum(a - 62.0, 0.0) / 16.0) ** 2))
    if group == 0:
        w = np.broadcast_to(majority, (len(times), len(ages)))
        men = np.broadcast_to(0.5 - 0.004 * np.maximum(a - 65.0, 0.0), w.shape)
    elif group in IMMIGRANTS:
        centre = (35.0 if group == 1 else 33.0) + (0.2 if group == 1 else 0.3) * (t - 2008.0)
        w = np.exp(-0.5 * ((a - centre) / 13.0) ** 2) + 0.03 * majority
        men = np.full(w.shape, 0.52 if group == 1 else 0.5)
    else:
        centre = (12.0 if group == 3 else 5.0) + (0.3 if group == 3 else 0.45) * (t - 2008.0)
        spread = (12.0 if group == 3 else 7.0) + 0.25 * (t - 2008.0)
        w = np.exp(-0.5 * ((a - centre) / spread) ** 2) + 0.001 * majority * (a <= 70)
        men = np.full(w.shape, 0.51)
    return np.stack([w * men, w * (1.0 - men)], axis=1)


def area_codes(country: str) -> tuple[str, ...]:
    """The area axis of a country: its municipalities, and for Denmark 411 Christiansø last."""
    codes = tuple(m.code for m in list_municipalities(country))
    return codes + ("411",) if country == "DK" else codes


def _draw_sizes(
    rng: np.random.Generator, n: int, median: float, sigma: float, low: float, high: float
) -> np.ndarray:
    return np.clip(median * np.exp(sigma * rng.standard_normal(n)), low, high)


def _shares(
    rng: np.random.Generator, centre: float, urban: np.ndarray, slope: float, noise: float
) -> np.ndarray:
    logit = _logit(centre) + slope * urban + noise * rng.standard_normal(len(urban))
    return _logistic(logit)


def _persons_by_group(
    sizes: np.ndarray,
    other: np.ndarray,
    target: np.ndarray,
    rng: np.random.Generator,
    desc: tuple[float, float],
) -> np.ndarray:
    """Integer persons by [area, group] from sizes and the shares of the two origin groups.

    `desc` is the typical share of descendants within the other and the target group.
    """
    n = len(sizes)
    desc_other = np.clip(desc[0] + 0.2 * desc[0] * rng.standard_normal(n), 0.03, 0.3)
    desc_target = np.clip(desc[1] + 0.05 * rng.standard_normal(n), 0.15, 0.5)
    shares = np.stack(
        [
            1.0 - other - target,
            other * (1 - desc_other),
            target * (1 - desc_target),
            other * desc_other,
            target * desc_target,
        ],
        axis=1,
    )
    return apportion(np.rint(sizes), shares)


def _urban(sizes: np.ndarray) -> np.ndarray:
    logs = np.log(sizes)
    return np.clip((logs - np.median(logs)) / logs.std(), -1.5, 2.0)


@cache
def denmark(seed: int) -> Country:
    """Denmark's 98 kommuner plus 411 Christiansø (last), reference time 2021K2."""
    rng = np.random.default_rng([seed, 45])
    codes = list(area_codes("DK")[:-1])
    n = len(codes)
    index = {code: i for i, code in enumerate(codes)}
    sizes = _draw_sizes(rng, n, 45_000, 0.55, 8_000, 200_000)
    known = {"101": 640_000, "751": 350_000, "851": 218_000, "461": 205_000, "561": 115_000}
    known |= {"825": 1_800, "741": 3_700, "563": 3_400, "492": 5_900, "482": 12_400}
    for code, size in known.items():
        sizes[index[code]] = size * (1.0 + 0.03 * rng.uniform(-1, 1))
    urban = _urban(sizes)
    suburb = np.array([151 <= int(c) <= 187 for c in codes], dtype=np.float64)
    non_western = np.clip(_shares(rng, 0.06, urban + 1.6 * suburb, 0.5, 0.4), 0.02, 0.30)
    western = np.clip(_shares(rng, 0.045, urban, 0.3, 0.3), 0.015, 0.10)
    base = _persons_by_group(sizes, western, non_western, rng, desc=(0.18, 0.38))
    base[index["151"]] = BALLERUP_2021K2
    growth = np.stack(
        [
            -0.001 + 0.004 * urban + 0.002 * rng.standard_normal(n),
            0.035 + 0.01 * rng.standard_normal(n),
            0.025 + 0.01 * rng.standard_normal(n),
            np.full(n, 0.04),
            0.045 + 0.005 * rng.standard_normal(n),
        ],
        axis=1,
    )
    # Christiansø: about ninety inhabitants, no growth, counted in Region Hovedstaden.
    codes.append("411")
    base = np.vstack([base, [[88, 1, 1, 0, 0]]])
    growth = np.vstack([growth, np.zeros((1, N_GROUPS))])
    urban = np.append(urban, -1.5)
    bumps = np.array([[0, 0], [0, 0], [0.12, 0.07], [0, 0], [0, 0]], dtype=np.float64)
    return _finish(rng, "DK", codes, base, 2021.25, growth, bumps, urban, 125)


@cache
def norway(seed: int) -> Country:
    """Norway's 357 kommuner (2024), reference time 1 January 2024."""
    rng = np.random.default_rng([seed, 47])
    codes = list(area_codes("NO"))
    n = len(codes)
    index = {code: i for i, code in enumerate(codes)}
    sizes = _draw_sizes(rng, n, 5_300, 1.1, 250, 150_000)
    known = {"0301": 717_000, "4601": 291_000, "5001": 214_000, "1103": 149_000}
    known |= {"3201": 130_000, "4204": 116_000, "3301": 103_000, "5501": 78_000}
    known |= {"1151": 205, "4629": 380, "1835": 440}
    for code, size in known.items():
        sizes[index[code]] = size * (1.0 + 0.03 * rng.uniform(-1, 1))
    urban = _urban(sizes)
    group2 = np.clip(_shares(rng, 0.05, urban, 0.6, 0.5), 0.01, 0.25)
    group1 = np.clip(_shares(rng, 0.05, urban, 0.1, 0.5), 0.01, 0.15)
    group2[index["0301"]], group1[index["0301"]] = 0.22, 0.08
    base = _persons_by_group(sizes, group1, group2, rng, desc=(0.10, 0.28))
    growth = np.stack(
        [
            0.003 + 0.008 * urban + 0.003 * rng.standard_normal(n),
            0.03 + 0.01 * rng.standard_normal(n),
            0.028 + 0.01 * rng.standard_normal(n),
            np.full(n, 0.05),
            0.05 + 0.005 * rng.standard_normal(n),
        ],
        axis=1,
    )
    bumps = np.array([[0, 0], [0, 0], [0.10, 0.15], [0, 0], [0, 0]], dtype=np.float64)
    return _finish(rng, "NO", codes, base, 2024.0, growth, bumps, urban, 105)


def _finish(
    rng: np.random.Generator,
    name: str,
    codes: list[str],
    base: np.ndarray,
    t_ref: float,
    growth: np.ndarray,
    bumps: np.ndarray,
    urban: np.ndarray,
    max_age: int,
) -> Country:
    n = len(codes)
    levels = (1.25, 0.85, 0.2, 1.1, 0.75) if name == "DK" else (1.25, 1.2, 0.3, 1.1, 0.8)
    return Country(
        name=name,
        codes=tuple(codes),
        base=base.astype(np.int64),
        t_ref=t_ref,
        growth=growth,
        bumps=bumps,
        urban=urban,
        max_age=max_age,
        group_logit=np.array(levels),
        emp_effect=0.15 * rng.standard_normal(n),
        gap_effect=0.25 * rng.standard_normal(n),
        benefit_effect=0.25 * rng.standard_normal(n) - 0.1 * urban,
        edu_effect=0.2 * urban + 0.1 * rng.standard_normal(n),
    )
