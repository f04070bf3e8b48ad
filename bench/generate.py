"""Generate a realistic Tsunagu data set for the benchmarks.

    .venv/bin/python -m bench.generate --database-url postgres://postgres@127.0.0.1:5432/tsunagu_bench
    .venv/bin/python -m bench.generate --database-url ... --scale 0.01     # a quick small run

Full scale: 100,000 candidates, 2,000 employers (an admin and a recruiter
each, the current Data Use Agreement accepted), 20,000 openings (80% open),
500,000 applications, each with its share grant, pipeline history and ledger
events. Distributions follow the foreign workforce in Japan (MHLW, October
2024 figures, rounded): see the tables below.

Rows go in with PostgreSQL COPY and explicit ids, not through the services:
the point is the shape and size of the data, and the services would take
hours. Model validation is skipped, but every database constraint holds
(unique open grant per candidate and employer, one application per opening
and candidate, valid corporate numbers, ranges).
"""

import argparse
import bisect
import json
import math
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from bench import drop_database, ensure_database

# --- Distributions ------------------------------------------------------------------

# Nationality (ISO 3166) → weight: foreign workers in Japan, MHLW Oct 2024, rounded.
NATIONALITIES = {
    "VN": 25, "CN": 18, "PH": 11, "NP": 8, "ID": 8, "BR": 6, "MM": 6, "KR": 3, "LK": 2.5, "TH": 2, "IN": 2,
    "BD": 1.5, "US": 1.5, "PE": 1.2, "TW": 1, "MN": 1, "UZ": 0.8, "PK": 0.6, "GB": 0.4, "FR": 0.3, "KH": 0.7,
}  # fmt: skip

# Status of residence → weight (None: lives abroad, no status yet).
STATUSES = {
    "engineer_humanities": 17, "ssw_1": 13, "ssw_2": 1.5, "technical_intern_1": 2, "technical_intern_2": 7,
    "technical_intern_3": 2.5, "student": 16, "dependent": 4.5, "permanent_resident": 9, "spouse_of_japanese": 3,
    "spouse_of_permanent_resident": 1, "long_term_resident": 4, "special_permanent_resident": 0.3,
    "designated_activities": 3, "skilled_labor": 1, "nursing_care": 0.7, "highly_skilled_1b": 0.8,
    "highly_skilled_2": 0.2, "business_manager": 0.5, "intra_company_transferee": 0.6, "instructor": 0.4,
    "researcher": 0.2, "professor": 0.1, "medical_services": 0.1, "legal_accounting": 0.05, None: 9,
}  # fmt: skip

# Status → group (every status not listed: "pro").
GROUP_OF_STATUS = {
    "ssw_1": "ssw", "ssw_2": "ssw", "technical_intern_1": "intern", "technical_intern_2": "intern",
    "technical_intern_3": "intern", "student": "student", "dependent": "dependent", "permanent_resident": "resident",
    "spouse_of_japanese": "resident", "spouse_of_permanent_resident": "resident", "long_term_resident": "resident",
    "special_permanent_resident": "resident", "designated_activities": "designated", None: "abroad",
}  # fmt: skip

# Nationality → {status group: multiplier}: Brazilians and Peruvians are mostly
# long-term residents, Koreans include special permanent residents, interns
# and SSW come mostly from Vietnam, Indonesia, Myanmar and the Philippines...
STATUS_BIAS = {
    "BR": {"resident": 6, "intern": 0.1, "student": 0.2, "pro": 0.3, "ssw": 0.3},
    "PE": {"resident": 6, "intern": 0.1, "student": 0.2, "pro": 0.3, "ssw": 0.3},
    "KR": {"resident": 3, "pro": 1.5, "intern": 0, "ssw": 0.3, "special_permanent_resident": 40},
    "TW": {"resident": 1.5, "pro": 2, "intern": 0, "ssw": 0.2},
    "CN": {"resident": 1.5, "pro": 1.5, "student": 1.3},
    "VN": {"intern": 1.6, "ssw": 1.5},
    "ID": {"intern": 1.6, "ssw": 1.6},
    "MM": {"intern": 1.5, "ssw": 1.7},
    "KH": {"intern": 1.8, "ssw": 1.5},
    "PH": {"intern": 1.2, "ssw": 1.3, "resident": 1.8},
    "NP": {"student": 2, "dependent": 2.5, "skilled_labor": 8, "intern": 0.3},
    "LK": {"student": 2, "dependent": 1.5, "ssw": 1.2},
    "BD": {"student": 1.5, "pro": 1.5},
    "IN": {"pro": 3, "intern": 0, "ssw": 0.2, "dependent": 1.5},
    "US": {"pro": 3, "intern": 0, "ssw": 0, "resident": 1.5},
    "GB": {"pro": 3, "intern": 0, "ssw": 0, "resident": 1.5},
    "FR": {"pro": 3, "intern": 0, "ssw": 0, "resident": 1.5},
}

# Best Japanese level (common scale 5 = N1 … 1 = N5) by status group, and the
# chance of having no test result at all. Overall it peaks at N4 and N3.
LEVELS_BY_GROUP = {
    "pro": ({5: 12, 4: 35, 3: 33, 2: 15, 1: 5}, 0.08),
    "ssw": ({5: 1, 4: 6, 3: 28, 2: 55, 1: 10}, 0.05),
    "intern": ({4: 3, 3: 22, 2: 50, 1: 25}, 0.15),
    "student": ({5: 6, 4: 22, 3: 37, 2: 27, 1: 8}, 0.06),
    "dependent": ({4: 8, 3: 22, 2: 35, 1: 35}, 0.40),
    "resident": ({5: 15, 4: 25, 3: 25, 2: 20, 1: 15}, 0.45),
    "designated": ({4: 20, 3: 35, 2: 35, 1: 10}, 0.15),
    "abroad": ({4: 3, 3: 15, 2: 45, 1: 37}, 0.20),
}
JLPT_OF_SCALE = {5: "jlpt_n1", 4: "jlpt_n2", 3: "jlpt_n3", 2: "jlpt_n4", 1: "jlpt_n5"}
NAT_OF_SCALE = {5: "nat_1", 4: "nat_2", 3: "nat_3", 2: "nat_4", 1: "nat_5"}
BJT_OF_SCALE = {5: "bjt_j1", 4: "bjt_j2", 3: "bjt_j3", 2: "bjt_j4", 1: "bjt_j5"}
SPEAKING_OF_SCALE = {0: "basic", 1: "basic", 2: "daily", 3: "daily", 4: "business", 5: "fluent"}

# Where people want to work and where the jobs are: the big metropolitan areas
# (every other prefecture: 0.4).
PREFECTURES = {
    "13": 30, "27": 12, "23": 11, "14": 10, "11": 6, "12": 5, "40": 5, "28": 4, "22": 3, "08": 3, "10": 2,
    "21": 2, "26": 2, "34": 2, "01": 2, "24": 1.5, "09": 1.5, "20": 1, "04": 1, "33": 1, "15": 0.8, "25": 0.8,
}  # fmt: skip

# Kind of work → weight among openings (and wishes).
CATEGORIES = {
    "ssw_nursing_care": 8, "ssw_food_service": 7, "ssw_industrial_manufacturing": 7, "ssw_construction": 6,
    "ssw_food_manufacturing": 6, "ssw_building_cleaning": 3, "ssw_agriculture": 3, "ssw_accommodation": 2,
    "ssw_automobile_repair": 2, "ssw_automobile_transport": 1, "ssw_shipbuilding": 1, "ssw_fishery": 1,
    "ssw_aviation": 0.5, "ssw_railway": 0.3, "ssw_forestry": 0.3, "ssw_wood_industry": 0.3,
    "factory_warehouse": 10, "retail_restaurant_staff": 10, "it_engineering": 8, "sales_marketing": 4,
    "office_admin": 3, "interpretation": 3, "hotel_guest_services": 3, "care_worker": 3, "cleaning": 3,
    "delivery_driving": 3, "teaching": 2, "chef_foreign_cuisine": 1, "business_management": 0.5, "research": 0.3,
    "medical": 0.3, "legal_accounting": 0.2, "entertainment": 0.2,
}  # fmt: skip
PART_TIME_WISHES = {
    "retail_restaurant_staff": 35, "factory_warehouse": 25, "cleaning": 10, "delivery_driving": 5,
    "hotel_guest_services": 5, "interpretation": 5, "office_admin": 5, "it_engineering": 5, "teaching": 5,
}  # fmt: skip

INDUSTRIES = {
    "manufacturing": 25, "hospitality": 15, "care": 12, "construction": 10, "it": 8, "retail": 8, "transport": 6,
    "agriculture": 4, "services": 8, "education": 2, "other": 2,
}  # fmt: skip
CATEGORIES_OF_INDUSTRY = {
    "manufacturing": ["ssw_industrial_manufacturing", "ssw_food_manufacturing", "factory_warehouse",
                      "ssw_shipbuilding", "it_engineering", "office_admin", "interpretation"],
    "hospitality": ["ssw_food_service", "ssw_accommodation", "retail_restaurant_staff", "hotel_guest_services",
                    "chef_foreign_cuisine", "cleaning"],
    "care": ["ssw_nursing_care", "care_worker", "cleaning", "medical"],
    "construction": ["ssw_construction", "factory_warehouse", "interpretation", "ssw_wood_industry"],
    "it": ["it_engineering", "office_admin", "sales_marketing", "interpretation", "research"],
    "retail": ["retail_restaurant_staff", "sales_marketing", "factory_warehouse", "delivery_driving"],
    "transport": ["delivery_driving", "factory_warehouse", "ssw_automobile_transport", "ssw_automobile_repair",
                  "ssw_aviation", "ssw_railway"],
    "agriculture": ["ssw_agriculture", "ssw_fishery", "ssw_forestry", "factory_warehouse"],
    "services": ["ssw_building_cleaning", "cleaning", "office_admin", "interpretation", "business_management",
                 "legal_accounting", "entertainment"],
    "education": ["teaching", "office_admin", "research"],
    "other": list(CATEGORIES),
}  # fmt: skip

SPONSORING_CATEGORIES = ("it_engineering", "interpretation", "sales_marketing", "chef_foreign_cuisine")
EMPLOYMENT_TYPES = {"full_time": 50, "contract": 20, "part_time": 25, "dispatch": 5}

# Application pipeline states and the path that leads to each.
APPLICATION_STATES = {
    "applied": 30, "screening": 14, "interview": 10, "offer": 3, "hired": 5, "not_selected": 28, "withdrawn": 10,
}  # fmt: skip
PATHS = {
    "applied": ["applied"],
    "screening": ["applied", "screening"],
    "interview": ["applied", "screening", "interview"],
    "offer": ["applied", "screening", "interview", "offer"],
    "hired": ["applied", "screening", "interview", "offer", "hired"],
    "not_selected": ["applied", "screening", "not_selected"],
    "withdrawn": ["applied", "withdrawn"],
}
CLOSED = {"hired", "not_selected", "withdrawn"}

NAMES = {
    "VN": (["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui"],
           ["Van Anh", "Thi Lan", "Minh Duc", "Thanh Huong", "Quoc Bao", "Thu Trang", "Hoang Nam", "Ngoc Mai"],
           ["グエン", "チャン", "レー", "ファム", "ホアン", "ヴー", "ダン", "ブイ"]),
    "CN": (["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang"],
           ["Wei", "Fang", "Xiuying", "Jun", "Lei", "Min", "Jing", "Hao"],
           ["ワン", "リー", "チャン", "リウ", "チェン", "ヤン", "ジャオ", "ホアン"]),
    "PH": (["Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Ramos", "Aquino"],
           ["Maria", "Jose", "Mark", "Angelica", "John Paul", "Kristine", "Joshua", "Mary Grace"],
           ["サントス", "レイエス", "クルス", "バウティスタ", "ガルシア", "メンドーサ", "ラモス", "アキノ"]),
    "NP": (["Shrestha", "Gurung", "Tamang", "Rai", "Thapa", "Magar", "Adhikari", "Karki"],
           ["Sita", "Ram", "Bikash", "Anjali", "Suman", "Pooja", "Rajesh", "Sabina"],
           ["シュレスタ", "グルン", "タマン", "ライ", "タパ", "マガル", "アディカリ", "カルキ"]),
    "ID": (["Saputra", "Wijaya", "Pratama", "Hidayat", "Santoso", "Siregar", "Nugroho", "Kurniawan"],
           ["Putri", "Agus", "Dewi", "Budi", "Rina", "Eko", "Siti", "Andi"],
           ["サプトラ", "ウィジャヤ", "プラタマ", "ヒダヤット", "サントソ", "シレガル", "ヌグロホ", "クルニアワン"]),
    "BR": (["Silva", "Santos", "Oliveira", "Souza", "Pereira", "Lima", "Costa", "Ferreira"],
           ["Ana", "Lucas", "Juliana", "Rafael", "Camila", "Bruno", "Fernanda", "Tiago"],
           ["シルバ", "サントス", "オリベイラ", "ソウザ", "ペレイラ", "リマ", "コスタ", "フェレイラ"]),
    "MM": (["Aung", "Kyaw", "Win", "Htun", "Myint", "Zaw", "Thein", "Soe"],
           ["Su Su", "Min Thu", "Hnin Wai", "Zin Mar", "Ye Yint", "Thandar", "Kaung Myat", "Ei Ei"],
           ["アウン", "チョー", "ウィン", "トゥン", "ミン", "ゾー", "テイン", "ソー"]),
    "KR": (["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon"],
           ["Minjun", "Seoyeon", "Jiho", "Hayoon", "Dohyun", "Jiwoo", "Yejin", "Hyunwoo"],
           ["キム", "イ", "パク", "チェ", "チョン", "カン", "チョ", "ユン"]),
    "LK": (["Perera", "Fernando", "Silva", "Jayasinghe", "Bandara", "Dissanayake", "Wijesinghe", "Herath"],
           ["Nimal", "Kasun", "Dilani", "Chamari", "Saman", "Tharindu", "Ishara", "Nuwan"],
           ["ペレラ", "フェルナンド", "シルバ", "ジャヤシンハ", "バンダラ", "ディサナヤケ", "ウィジェ", "ヘーラト"]),
    "IN": (["Sharma", "Singh", "Kumar", "Patel", "Reddy", "Nair", "Gupta", "Iyer"],
           ["Arjun", "Priya", "Rahul", "Ananya", "Vikram", "Sneha", "Rohan", "Divya"],
           ["シャルマ", "シン", "クマール", "パテル", "レッディ", "ナイル", "グプタ", "アイヤル"]),
    None: (["Smith", "Khan", "Rahman", "Karimov", "Bat-Erdene", "Somchai", "Martin", "Quispe"],
           ["Alex", "Sam", "Maria", "Ali", "Nodira", "Anan", "Chloe", "Rosa"],
           ["スミス", "カーン", "ラーマン", "カリモフ", "バトエルデネ", "ソムチャイ", "マルタン", "キスペ"]),
}  # fmt: skip
GIVEN_KANA = ["アン", "ラン", "マリア", "ジョセフ", "ラム", "ブディ", "アナ", "ミン", "スー", "プリヤ", "ウェイ"]
COMPANY_WORDS = [
    "Sakura", "Fuji", "Hikari", "Midori", "Aoba", "Tsubasa", "Yamato", "Kizuna", "Minato", "Asahi", "Hoshi",
    "Kaede", "Nami", "Sora", "Daichi", "Wakaba", "Tomoe", "Kibou", "Hinode", "Matsu", "Take", "Ume", "Izumi",
]  # fmt: skip
COMPANY_KINDS = {
    "manufacturing": "Kogyo", "hospitality": "Foods", "care": "Care", "construction": "Kensetsu", "it": "Tech",
    "retail": "Shoji", "transport": "Logistics", "agriculture": "Farm", "services": "Service",
    "education": "Gakuen", "other": "Holdings",
}  # fmt: skip
INTRO = (
    "I came to Japan to learn and to work. In my last job I was careful and on time, and my team leader "
    "trusted me with training new staff. I study Japanese every evening and want to use it at work. "
)
DESCRIPTION = (
    "We are a growing company and welcome staff from every country. You will work in a friendly team with "
    "colleagues from Vietnam, the Philippines and Japan. Training is given in easy Japanese, and a senior "
    "colleague supports you during the first three months. Uniforms are provided. Transport costs are paid "
    "up to 30,000 yen a month. Social insurance, paid holidays and a yearly health check. "
)

# Japanese lines some descriptions end with, and wards openings are in (the search's Japanese side).
JAPANESE_LINES = [
    "寮あり。未経験歓迎。",
    "日本語の研修があります。夜勤なし。",
    "社会保険完備、交通費支給。",
    "外国籍スタッフが活躍中です。",
]
CITIES = ["Central ward", "中央区", "北区", "港区", "駅前", "南区"]


class Weighted:
    """Fast repeated weighted choice (bisect over cumulative weights)."""

    def __init__(self, weights: dict, rng: random.Random):
        items = [(k, w) for k, w in weights.items() if w > 0]
        self.keys = [k for k, _ in items]
        self.cum = []
        total = 0.0
        for _, w in items:
            total += w
            self.cum.append(total)
        self.total = total
        self.rng = rng

    def pick(self):
        return self.keys[bisect.bisect_right(self.cum, self.rng.random() * self.total)]

    def sample(self, k: int) -> list:
        """k distinct keys (k small)."""
        k = min(k, len(self.keys))
        chosen: list = []
        while len(chosen) < k:
            key = self.pick()
            if key not in chosen:
                chosen.append(key)
        return chosen


# --- Loading ---------------------------------------------------------------------------


class Loader:
    """COPY rows into a model's table, filling every other NOT NULL column
    with the field's default (evaluated once)."""

    def __init__(self, started: float):
        self.started = started
        self.counts: dict[str, int] = defaultdict(int)

    def copy(self, model, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        from django.db import connection

        fields = {f.attname: f for f in model._meta.concrete_fields}
        names = [fields[c].column for c in columns]
        constants = []
        now = datetime.now(UTC)
        for f in model._meta.concrete_fields:
            if f.attname in columns or f.primary_key or f.null:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            elif f.has_default() or f.empty_strings_allowed:
                value = f.get_default()
            else:
                raise ValueError(f"{model.__name__}.{f.name} needs a value")
            if f.unique:
                raise ValueError(f"{model.__name__}.{f.name} is unique: give it per row")
            if isinstance(value, dict | list):
                value = json.dumps(value)
            names.append(f.column)
            constants.append(value)
        extra = tuple(constants)
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(n) for n in names)
        n = 0
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, *extra) if extra else row)
                n += 1
        self.counts[model._meta.label] += n
        return n

    def say(self, what: str, n: int | None = None) -> None:
        elapsed = time.perf_counter() - self.started
        count = f" {n:>9,}" if n is not None else " " * 10
        print(f"[{elapsed:7.1f}s]{count}  {what}", flush=True)


def next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def lognormal_weights(rng: random.Random, n: int, sigma: float) -> list[float]:
    return [rng.lognormvariate(0, sigma) for _ in range(n)]


def corporate_number(rng: random.Random, taken: set[str]) -> str:
    from accounts.validators import corporate_number_check_digit

    while True:
        base = f"{rng.randrange(10**11, 10**12):012d}"
        number = f"{corporate_number_check_digit(base)}{base}"
        if number not in taken:
            taken.add(number)
            return number


# --- The generator ------------------------------------------------------------------------


class Generator:
    def __init__(self, *, counts: dict[str, int], seed: int, loader: Loader):
        from django.utils import timezone

        self.n = counts
        self.rng = random.Random(seed)
        self.load = loader
        self.now = timezone.now()
        self.today = timezone.localdate()
        self._taxonomies()

    # Taxonomies and policies as they are in the database.
    def _taxonomies(self) -> None:
        from consents.models import PolicyKind
        from consents.services import current_policy
        from profiles.models import (
            EmploymentType,
            JapaneseLevel,
            JobCategory,
            Prefecture,
            QualificationKind,
            StatusOfResidence,
        )

        self.statuses = {s.code: s for s in StatusOfResidence.objects.prefetch_related("job_categories")}
        self.categories = {c.code: c for c in JobCategory.objects.all()}
        self.prefectures = {p.code: p for p in Prefecture.objects.all()}
        self.levels = {lv.code: lv for lv in JapaneseLevel.objects.all()}
        self.qualification_kinds = {q.code: q for q in QualificationKind.objects.all()}
        self.employment_types = {e.code: e for e in EmploymentType.objects.all()}
        self.policies = {kind: current_policy(kind) for kind in PolicyKind.values}
        missing = [kind for kind, version in self.policies.items() if version is None]
        if missing or not self.statuses or not self.prefectures:
            raise SystemExit(f"Taxonomies or policies missing (migrations not applied?): {missing}")
        rng = self.rng
        self.pick_nationality = Weighted(NATIONALITIES, rng)
        self.pick_prefecture = Weighted({code: PREFECTURES.get(code, 0.4) for code in self.prefectures}, rng)
        self.pick_category = Weighted({c: w for c, w in CATEGORIES.items() if c in self.categories}, rng)
        self.pick_part_time_wish = Weighted(PART_TIME_WISHES, rng)
        self.pick_industry = Weighted(INDUSTRIES, rng)
        self.pick_employment_type = Weighted(EMPLOYMENT_TYPES, rng)
        self.pick_state = Weighted(APPLICATION_STATES, rng)
        self.pick_level = {g: (Weighted(w, rng), none) for g, (w, none) in LEVELS_BY_GROUP.items()}
        self.pick_status = {}
        for nationality in NATIONALITIES:
            bias = STATUS_BIAS.get(nationality, {})
            weights = {}
            for code, w in STATUSES.items():
                if code is not None and code not in self.statuses:
                    continue
                group = GROUP_OF_STATUS.get(code, "pro")
                weights[code] = w * bias.get(code, bias.get(group, 1))
            self.pick_status[nationality] = Weighted(weights, rng)
        # Wishes for a "within scope" status: the categories its activity covers.
        self.scope_wishes = {
            code: Weighted({c.code: CATEGORIES.get(c.code, 0.5) for c in s.job_categories.all()}, rng)
            for code, s in self.statuses.items()
            if s.job_categories.all()
        }

    def run(self) -> None:
        self.users()
        self.candidates()
        self.employers()
        self.openings()
        self.applications()
        self.finish()

    # --- People ----------------------------------------------------------------------

    def users(self) -> None:
        from accounts.models import User
        from consents.models import ConsentSubject, PolicyAcceptance

        rng = self.rng
        self.user_base = next_id(User)
        self.candidate_user_ids = list(range(self.user_base, self.user_base + self.n["candidates"]))
        employer_base = self.user_base + self.n["candidates"]
        self.member_user_ids = list(range(employer_base, employer_base + 2 * self.n["employers"]))
        self.joined = {}
        self.nationality = {}

        def rows():
            for i, uid in enumerate(self.candidate_user_ids):
                nationality = self.pick_nationality.pick()
                self.nationality[uid] = nationality
                family, given, _kana = NAMES.get(nationality, NAMES[None])
                joined = self.now - timedelta(days=rng.random() ** 1.5 * 1100, seconds=rng.randrange(86400))
                self.joined[uid] = joined
                active = rng.random() > 0.01
                yield (uid, f"!{rng.getrandbits(128):032x}", f"candidate{i}@bench.tsunagu.test",
                       f"{rng.choice(given)} {rng.choice(family)}", "candidate",
                       rng.choices(["en", "ja"], [85, 15])[0], active, joined)  # fmt: skip
            for j, uid in enumerate(self.member_user_ids):
                employer, admin = divmod(j, 2)
                role = "admin" if admin == 0 else "recruiter"
                joined = self.now - timedelta(days=400 + rng.random() * 700)
                self.joined[uid] = joined
                yield (uid, f"!{rng.getrandbits(128):032x}", f"{role}{employer}@employer{employer}.bench.tsunagu.test",
                       f"{rng.choice(['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Ito', 'Watanabe'])} "
                       f"{rng.choice(['Yuki', 'Haruto', 'Aoi', 'Ren', 'Mei', 'Sota'])}", "employer",
                       rng.choices(["ja", "en"], [70, 30])[0], True, joined)  # fmt: skip

        n = self.load.copy(
            User, ["id", "password", "email", "full_name", "role", "language", "is_active", "date_joined"], rows()
        )
        self.load.say("users (candidates and employer members)", n)
        all_users = self.candidate_user_ids + self.member_user_ids
        subject_base = next_id(ConsentSubject)
        self.subject_key = {uid: _uuid(rng) for uid in all_users}
        n = self.load.copy(
            ConsentSubject,
            ["id", "user_id", "key"],
            ((subject_base + k, uid, self.subject_key[uid]) for k, uid in enumerate(all_users)),
        )
        self.load.say("consent subjects (pseudonymous ledger keys)", n)
        # Everyone accepted the current Terms of Use and Privacy Policy (the
        # middleware would otherwise stop them at the first page).
        base = next_id(PolicyAcceptance)
        versions = [self.policies["terms"], self.policies["privacy"]]
        self.policy_events = []

        def acceptances():
            k = base
            for uid in all_users:
                accepted = max(self.joined[uid], versions[0].published_at)
                for version in versions:
                    self.policy_events.append((uid, version, accepted))
                    yield (k, uid, version.pk, "en", accepted)
                    k += 1

        n = self.load.copy(PolicyAcceptance, ["id", "user_id", "version_id", "language", "accepted_at"], acceptances())
        self.load.say("policy acceptances (Terms, Privacy)", n)

    def candidates(self) -> None:
        from consents.models import ProcessingRestriction
        from profiles.models import (
            CandidateProfile,
            JapaneseCertificate,
            LanguageSkill,
            Qualification,
            WorkEntry,
        )

        rng, now, today = self.rng, self.now, self.today
        base = next_id(CandidateProfile)
        self.profile_of = {}
        self.status_of = {}
        self.wishes = {}
        self.certificates = []
        self.qualifications = []
        self.work = []
        self.desired_prefectures = []
        self.desired_types = []
        self.languages = []
        self.candidates_by_category = defaultdict(list)
        pref_ids = {code: p.pk for code, p in self.prefectures.items()}

        def rows():
            for k, uid in enumerate(self.candidate_user_ids):
                pid = base + k
                self.profile_of[uid] = pid
                nationality = self.nationality[uid]
                code = self.pick_status[nationality].pick()
                status = self.statuses.get(code) if code else None
                group = GROUP_OF_STATUS.get(code, "pro")
                self.status_of[uid] = code
                family, given, kana = NAMES.get(nationality, NAMES[None])
                in_japan = status is not None
                joined = self.joined[uid]
                updated = max(joined, now - timedelta(days=rng.expovariate(1 / 120)))
                # Japanese
                scale = self._certificates(pid, group)
                # Status facts
                expiry = None
                indefinite = ("permanent_resident", "special_permanent_resident", "highly_skilled_2")
                if code and code not in indefinite and rng.random() > 0.03:
                    expiry = today + timedelta(days=rng.randint(-60, 3 * 365))
                permission = code in ("student", "dependent") and rng.random() < (0.75 if code == "student" else 0.55)
                # What they look for
                wishes = self._wishes(code, group)
                self.wishes[uid] = wishes
                for c in wishes:
                    self.candidates_by_category[c].append(uid)
                prefs = self.pick_prefecture.sample(rng.choices([1, 2, 3], [45, 35, 20])[0])
                for p in prefs:
                    self.desired_prefectures.append((pid, pref_ids[p]))
                part_time = group in ("student", "dependent")
                types = (
                    ["part_time"]
                    if part_time
                    else rng.choices(
                        [["full_time"], ["full_time", "contract"], ["contract", "dispatch"]], [60, 30, 10]
                    )[0]
                )
                for t in types:
                    self.desired_types.append((pid, self.employment_types[t].pk))
                salary, period = None, ""
                if rng.random() < 0.65:
                    if part_time:
                        salary, period = rng.randrange(1050, 1600, 50), "hour"
                    elif group == "pro" and rng.random() < 0.3:
                        salary, period = rng.randrange(3_500_000, 8_000_000, 100_000), "year"
                    else:
                        salary, period = rng.randrange(180_000, 380_000 if group == "pro" else 300_000, 5_000), "month"
                self._experience(pid, wishes, nationality)
                self._qualifications(pid, code, group)
                self.languages.append((pid, "en" if nationality in ("PH", "IN", "US", "GB") else "ja", "native"))
                open_to_proposals = rng.random() < 0.30
                name = f"{rng.choice(family)} {rng.choice(given)}".upper()
                yield (
                    pid, uid, name, f"{rng.choice(kana)} {rng.choice(GIVEN_KANA)}" if rng.random() < 0.7 else "",
                    nationality, "JP" if in_japan else nationality,
                    date(today.year - min(60, 18 + int(rng.expovariate(1 / 8))), rng.randint(1, 12),
                         rng.randint(1, 28)),
                    rng.choices(["male", "female", "another", "prefer_not"], [56, 41, 1, 2])[0],
                    f"+8190{rng.randrange(10**7, 10**8)}" if in_japan else f"+84{rng.randrange(10**8, 10**9)}",
                    f"{rng.randrange(10**6, 10**7):07d}" if in_japan else "",
                    pref_ids[self.pick_prefecture.pick()] if in_japan else None,
                    "Shinjuku-ku" if in_japan else "", "1-2-3 Example Heights 101" if in_japan else "",
                    "" if in_japan else "12 Example Street, Hanoi",
                    status.pk if status else None, expiry, permission, 28 if permission else None,
                    SPEAKING_OF_SCALE[scale], salary, period,
                    today + timedelta(days=rng.randint(0, 120)) if rng.random() < 0.6 else None,
                    open_to_proposals, updated if rng.random() < 0.8 else None,
                    INTRO[: rng.randint(80, len(INTRO))] if rng.random() < 0.6 else "",
                    joined, updated,
                )  # fmt: skip

        n = self.load.copy(
            CandidateProfile,
            ["id", "user_id", "name_passport", "name_kana", "nationality", "country_of_residence", "date_of_birth",
             "gender", "phone", "postal_code", "prefecture_id", "city", "street", "overseas_address", "status_id",
             "period_of_stay_expiry", "outside_activity_permission", "outside_activity_hours", "japanese_speaking",
             "expected_salary", "expected_salary_period", "earliest_start_date", "open_to_proposals",
             "preferences_saved_at", "self_introduction", "created_at", "updated_at"],
            rows(),
        )  # fmt: skip
        self.load.say("candidate profiles", n)

        def with_ids(model, rows):
            start = next_id(model)
            return ((start + k, *row) for k, row in enumerate(rows))

        n = self.load.copy(
            JapaneseCertificate,
            ["id", "profile_id", "level_id", "obtained_on"],
            with_ids(JapaneseCertificate, self.certificates),
        )
        self.load.say("Japanese test results", n)
        n = self.load.copy(
            Qualification, ["id", "profile_id", "kind_id", "obtained_on"], with_ids(Qualification, self.qualifications)
        )
        self.load.say("qualifications", n)
        n = self.load.copy(
            WorkEntry,
            ["id", "profile_id", "employer_name", "job_title", "category_id", "country", "started_on", "ended_on"],
            with_ids(WorkEntry, self.work),
        )
        self.load.say("work history entries", n)
        n = self.load.copy(
            LanguageSkill, ["id", "profile_id", "language", "level"], with_ids(LanguageSkill, self.languages)
        )
        self.load.say("language skills", n)
        through = CandidateProfile.desired_prefectures.through
        n = self.load.copy(
            through, ["id", "candidateprofile_id", "prefecture_id"], with_ids(through, self.desired_prefectures)
        )
        self.load.say("desired prefectures", n)
        through = CandidateProfile.desired_categories.through
        rows = [(self.profile_of[uid], self.categories[c].pk) for uid, cs in self.wishes.items() for c in cs]
        n = self.load.copy(through, ["id", "candidateprofile_id", "jobcategory_id"], with_ids(through, rows))
        self.load.say("desired kinds of work", n)
        through = CandidateProfile.desired_employment_types.through
        n = self.load.copy(
            through, ["id", "candidateprofile_id", "employmenttype_id"], with_ids(through, self.desired_types)
        )
        self.load.say("desired employment types", n)
        # A few people restricted the use of their data (APPI Art. 35).
        restricted = rng.sample(self.candidate_user_ids, max(1, len(self.candidate_user_ids) // 200))
        n = self.load.copy(
            ProcessingRestriction,
            ["id", "user_id", "started_at", "reason"],
            with_ids(
                ProcessingRestriction, ((uid, now - timedelta(days=rng.randint(1, 200)), "") for uid in restricted)
            ),
        )
        self.load.say("processing restrictions", n)
        del self.certificates, self.qualifications, self.work, self.desired_prefectures, self.desired_types

    def _certificates(self, pid: int, group: str) -> int:
        rng = self.rng
        pick, none = self.pick_level[group]
        if rng.random() < none:
            return 0
        scale = pick.pick()
        r = rng.random()
        if scale == 2 and r < (0.35 if group in ("ssw", "intern", "abroad") else 0.12):
            code = "jft_a2"
        elif scale == 1 and r < 0.10:
            code = "jft_a1"
        elif group == "pro" and r < 0.08:
            code = BJT_OF_SCALE[scale]
        elif r > 0.94:
            code = NAT_OF_SCALE[scale]
        else:
            code = JLPT_OF_SCALE[scale]
        passed = self.today - timedelta(days=rng.randint(30, 2500))
        self.certificates.append((pid, self.levels[code].pk, passed))
        # One in five also lists the level below, passed earlier.
        if scale > 1 and rng.random() < 0.2 and JLPT_OF_SCALE[scale - 1] != code:
            self.certificates.append((pid, self.levels[JLPT_OF_SCALE[scale - 1]].pk, passed - timedelta(days=365)))
        return scale

    def _wishes(self, code: str | None, group: str) -> list[str]:
        rng = self.rng
        k = rng.choices([1, 2, 3], [40, 40, 20])[0]
        if group in ("student", "dependent"):
            return self.pick_part_time_wish.sample(k)
        if code in self.scope_wishes:
            return self.scope_wishes[code].sample(k)
        return self.pick_category.sample(k)

    def _experience(self, pid: int, wishes: list[str], nationality: str) -> None:
        rng = self.rng
        end = self.today - timedelta(days=rng.randint(0, 400))
        for _ in range(rng.choices([0, 1, 2, 3], [30, 40, 20, 10])[0]):
            category = rng.choice(wishes) if rng.random() < 0.6 else self.pick_category.pick()
            start = end - timedelta(days=rng.randint(180, 1500))
            self.work.append((pid, f"{rng.choice(COMPANY_WORDS)} {rng.choice(list(COMPANY_KINDS.values()))}",
                              self.categories[category].label_en[:60], self.categories[category].pk,
                              rng.choice(["JP", nationality]), start, end if rng.random() < 0.8 else None))  # fmt: skip
            end = start - timedelta(days=rng.randint(0, 200))

    def _qualifications(self, pid: int, code: str | None, group: str) -> None:
        rng = self.rng
        kinds = []
        if (group == "ssw" and rng.random() < 0.8) or (group == "intern" and rng.random() < 0.2):
            fields = [c.code for c in self.statuses[code].job_categories.all() if c.code.startswith("ssw_")]
            if fields:
                kinds.append(f"skills_test_{rng.choice(fields)[4:]}")
        if code == "nursing_care":
            kinds.append("certified_care_worker")
        for kind, p in (("licence_foreign", 0.10), ("licence_ordinary", 0.08 if group == "resident" else 0.03),
                        ("forklift", 0.04), ("care_initial_training", 0.04)):  # fmt: skip
            if rng.random() < p:
                kinds.append(kind)
        for kind in kinds:
            if kind in self.qualification_kinds:
                self.qualifications.append(
                    (pid, self.qualification_kinds[kind].pk, self.today - timedelta(days=rng.randint(30, 2000)))
                )

    # --- Employers and openings ------------------------------------------------------

    def employers(self) -> None:
        from accounts.models import Employer, EmployerMember
        from consents.models import EmployerAgreement

        rng = self.rng
        base = next_id(Employer)
        self.employer_ids = list(range(base, base + self.n["employers"]))
        self.industry = {}
        self.employer_prefecture = {}
        self.recruiter_of = {}
        self.admin_of = {}
        self.employer_name: dict[int, str] = {}
        taken: set[str] = set(Employer.objects.values_list("corporate_number", flat=True))

        def rows():
            for k, eid in enumerate(self.employer_ids):
                industry = self.pick_industry.pick()
                self.industry[eid] = industry
                prefecture = self.pick_prefecture.pick()
                self.employer_prefecture[eid] = prefecture
                self.admin_of[eid] = self.member_user_ids[2 * k]
                self.recruiter_of[eid] = self.member_user_ids[2 * k + 1]
                name = f"{rng.choice(COMPANY_WORDS)} {COMPANY_KINDS[industry]} {k} Co., Ltd."
                self.employer_name[eid] = name
                yield (eid, name, corporate_number(rng, taken), industry, f"{rng.randrange(10**6, 10**7):07d}",
                       f"{self.prefectures[prefecture].label_en}, 1-1-1", "Sato Yuki",
                       f"hr@employer{k}.bench.tsunagu.test", "+81300000000", self.now - timedelta(days=800),
                       None)  # fmt: skip

        n = self.load.copy(
            Employer,
            ["id", "legal_name", "corporate_number", "industry", "postal_code", "address", "contact_name",
             "contact_email", "contact_phone", "created_at", "created_by_id"],
            rows(),
        )  # fmt: skip
        self.load.say("employers", n)
        start = next_id(EmployerMember)
        members = []
        for eid in self.employer_ids:
            members.append((self.admin_of[eid], eid, "admin"))
            members.append((self.recruiter_of[eid], eid, "recruiter"))
        n = self.load.copy(
            EmployerMember, ["id", "user_id", "employer_id", "role"], ((start + k, *m) for k, m in enumerate(members))
        )
        self.load.say("employer members (an admin and a recruiter each)", n)
        dua = self.policies["data_use"]
        start = next_id(EmployerAgreement)
        n = self.load.copy(
            EmployerAgreement,
            ["id", "employer_id", "version_id", "accepted_by_id", "accepted_at", "language"],
            ((start + k, eid, dua.pk, self.admin_of[eid], max(dua.published_at, self.now - timedelta(days=30)), "ja")
             for k, eid in enumerate(self.employer_ids)),
        )  # fmt: skip
        self.load.say("Data Use Agreements accepted (current version)", n)

    def openings(self) -> None:
        from matching.models import Opening
        from matching.search import search_text_of
        from matching.services import default_statuses, monthly

        rng, now, today = self.rng, self.now, self.today
        base = next_id(Opening)
        size = lognormal_weights(rng, len(self.employer_ids), 1.0)
        owners = rng.choices(self.employer_ids, weights=size, k=self.n["openings"])
        self.opening_ids = list(range(base, base + len(owners)))
        self.opening_employer = {}
        self.opening_category = {}
        self.opening_state = {}
        self.opening_published = {}
        statuses_cache: dict[tuple, list[int]] = {}
        status_rows = []
        qualification_rows = []
        levels = self.levels

        def required_level(category: str, employment_type: str) -> str | None:
            if category.startswith("ssw_"):
                return rng.choices(["jlpt_n4", "jft_a2", "jlpt_n3", None], [60, 20, 10, 10])[0]
            if category in ("it_engineering", "research"):
                return rng.choices(["jlpt_n2", "jlpt_n3", "jlpt_n1", None], [35, 25, 10, 30])[0]
            if category in ("interpretation", "sales_marketing", "office_admin", "legal_accounting", "medical",
                            "hotel_guest_services", "teaching", "business_management", "care_worker"):  # fmt: skip
                return rng.choices(["jlpt_n1", "jlpt_n2", "jlpt_n3", None], [25, 45, 20, 10])[0]
            if employment_type == "part_time":
                return rng.choices(["jlpt_n3", "jlpt_n4", None], [40, 30, 30])[0]
            return rng.choices(["jlpt_n4", "jlpt_n3", None], [35, 25, 40])[0]

        def rows():
            for oid, eid in zip(self.opening_ids, owners, strict=True):
                industry = self.industry[eid]
                category = rng.choice(CATEGORIES_OF_INDUSTRY[industry])
                if category not in self.categories:
                    category = self.pick_category.pick()
                etype = self.pick_employment_type.pick()
                if category.startswith("ssw_") and etype == "part_time":
                    etype = "full_time"  # SSW is full-time employment by law
                hours = (
                    40 if etype != "part_time" else rng.choices([rng.randint(10, 28), rng.randint(30, 35)], [8, 2])[0]
                )
                state = rng.choices(["open", "closed", "draft"], [80, 12, 8])[0]
                # Open ones are recent; closed ones go back two and a half years,
                # so that the grants of their applications have expired.
                age = rng.expovariate(1 / 60) if state == "open" else rng.uniform(30, 900)
                published = now - timedelta(days=min(age, 900)) if state != "draft" else None
                created = (published or now) - timedelta(days=rng.randint(0, 10))
                closes_on = None
                if rng.random() < 0.6:
                    closes_on = today + timedelta(days=rng.randint(-20 if state == "open" else -300, 90))
                start = (closes_on or today) + timedelta(days=rng.randint(14, 120))
                level = required_level(category, etype)
                if etype == "part_time":
                    salary_min, period = rng.randrange(1050, 1400, 10), "hour"
                    salary_max = salary_min + rng.randrange(0, 300, 10)
                elif category in ("it_engineering", "sales_marketing", "research") and rng.random() < 0.4:
                    salary_min, period = rng.randrange(3_500_000, 6_000_000, 100_000), "year"
                    salary_max = salary_min + rng.randrange(0, 3_000_000, 100_000)
                else:
                    salary_min, period = rng.randrange(190_000, 300_000, 5_000), "month"
                    salary_max = salary_min + rng.randrange(0, 80_000, 5_000)
                sponsors = category.startswith("ssw_") or category in SPONSORING_CATEGORIES
                sponsorship = rng.random() < (0.3 if sponsors else 0.05)
                prefecture = self.employer_prefecture[eid] if rng.random() < 0.7 else self.pick_prefecture.pick()
                key = (category, etype, hours)
                if key not in statuses_cache:
                    statuses_cache[key] = [
                        s.pk
                        for s in default_statuses(
                            category=self.categories[category],
                            employment_type=self.employment_types[etype],
                            weekly_hours=hours,
                        )
                    ]
                for sid in statuses_cache[key]:
                    status_rows.append((oid, sid))
                self._required_qualifications(oid, category, qualification_rows)
                self.opening_employer[oid] = eid
                self.opening_category[oid] = category
                self.opening_state[oid] = state
                self.opening_published[oid] = published
                label = self.categories[category].label_en.replace(" (SSW)", "")
                label_ja = self.categories[category].label_ja.replace("（特定技能）", "")
                role = rng.choice(["staff", "team member", "specialist", "trainee", "leader"])
                title = f"{label} — {role}" if rng.random() < 0.5 else f"{label_ja}スタッフ / {label} — {role}"
                description = DESCRIPTION[: rng.randint(150, len(DESCRIPTION))]
                if rng.random() < 0.5:
                    description += rng.choice(JAPANESE_LINES)
                city = rng.choice(CITIES)
                # The search columns, as services.opening_save writes them.
                text, grams = search_text_of(
                    SimpleNamespace(
                        title=title, description=description, city=city,
                        employer=SimpleNamespace(legal_name=self.employer_name.get(eid, "")),
                        prefecture=self.prefectures[prefecture], category=self.categories[category],
                    )
                )
                yield (
                    oid, eid, title, description, self.categories[category].pk,
                    self.employment_types[etype].pk, self.prefectures[prefecture].pk, city, salary_min,
                    salary_max, period, hours, levels[level].pk if level else None,
                    levels[level].scale if level else 0, sponsorship, start, closes_on,
                    "Japanese, English" if rng.random() < 0.3 else "Japanese", state, published,
                    self.recruiter_of[eid], created, published or created, text, grams,
                    monthly(salary_min, period), monthly(salary_max, period),
                )  # fmt: skip

        n = self.load.copy(
            Opening,
            ["id", "employer_id", "title", "description", "category_id", "employment_type_id", "prefecture_id", "city",
             "salary_min", "salary_max", "salary_period", "weekly_hours", "required_level_id", "required_scale",
             "sponsorship_offered", "start_date", "closes_on", "languages", "state", "published_at", "created_by_id",
             "created_at", "updated_at", "search_text", "search_grams", "monthly_salary_min", "monthly_salary_max"],
            list(rows()),  # built first: default_statuses() queries, which cannot run during a COPY
        )  # fmt: skip
        self.load.say(f"openings ({len(statuses_cache)} status-default combinations computed)", n)
        through = Opening.accepted_statuses.through
        start = next_id(through)
        n = self.load.copy(
            through, ["id", "opening_id", "statusofresidence_id"], ((start + k, *r) for k, r in enumerate(status_rows))
        )
        self.load.say("accepted statuses (defaults from the work rules)", n)
        through = Opening.required_qualifications.through
        start = next_id(through)
        n = self.load.copy(
            through,
            ["id", "opening_id", "qualificationkind_id"],
            ((start + k, *r) for k, r in enumerate(qualification_rows)),
        )
        self.load.say("required qualifications", n)

    def _required_qualifications(self, oid: int, category: str, rows: list) -> None:
        rng = self.rng
        kind = None
        if category.startswith("ssw_") and rng.random() < 0.3:
            kind = f"skills_test_{category[4:]}"
        elif category in ("delivery_driving", "ssw_automobile_transport") and rng.random() < 0.6:
            kind = "licence_ordinary"
        elif category == "care_worker" and rng.random() < 0.5:
            kind = "certified_care_worker"
        elif category == "factory_warehouse" and rng.random() < 0.15:
            kind = "forklift"
        if kind in self.qualification_kinds:
            rows.append((oid, self.qualification_kinds[kind].pk))

    # --- Applications, grants, history, ledger -------------------------------------------

    def applications(self) -> None:
        from django.conf import settings

        from accounts.models import Employer
        from consents.models import ConsentEvent, ShareGrant
        from consents.notices import SHARE_PURPOSE
        from matching.models import Application, ApplicationEvent

        rng, now = self.rng, self.now
        receiving = [oid for oid in self.opening_ids if self.opening_state[oid] != "draft"]
        popularity = lognormal_weights(rng, len(receiving), 1.1)
        targets = rng.choices(receiving, weights=popularity, k=self.n["applications"])
        activity = lognormal_weights(rng, len(self.candidate_user_ids), 1.0)
        cum_activity = []
        total = 0.0
        for w in activity:
            total += w
            cum_activity.append(total)
        users = self.candidate_user_ids

        def any_candidate() -> int:
            return users[bisect.bisect_right(cum_activity, rng.random() * total)]

        taken: set[int] = set()
        stride = max(self.employer_ids) + 1
        grant_days = timedelta(days=settings.TSUNAGU_GRANT_DAYS)
        app_base, grant_base, event_base = next_id(Application), next_id(ShareGrant), next_id(ApplicationEvent)
        apps, grants, events = [], [], []
        skipped = 0
        for oid in targets:
            eid = self.opening_employer[oid]
            pool = self.candidates_by_category.get(self.opening_category[oid])
            published = self.opening_published[oid]
            # Most applications come in the first weeks after publication,
            # from someone who had an account by then and has not applied to
            # this employer yet (one open grant per candidate and employer).
            window = min((now - published).total_seconds(), 90 * 86400)
            created = published + timedelta(seconds=rng.random() ** 2 * window)
            for _ in range(100):
                uid = rng.choice(pool) if pool and rng.random() < 0.6 else any_candidate()
                pair = uid * stride + eid
                if pair not in taken and self.joined[uid] <= created:
                    break
            else:
                skipped += 1
                continue
            taken.add(pair)
            state = self.pick_state.pick()
            if self.opening_state[oid] == "closed" and state in ("applied", "screening"):
                state = "not_selected"
            path = PATHS[state]
            step = timedelta(days=rng.uniform(1, 7))
            updated = min(now, created + step * (len(path) - 1))
            aid, gid = app_base + len(apps), grant_base + len(grants)
            apps.append((aid, oid, uid, gid, state, created, updated, updated if state in CLOSED else None))
            for k, (before, after) in enumerate(zip(["", *path], path, strict=False)):
                actor = uid if after in ("applied", "withdrawn") else self.recruiter_of[eid]
                at = min(now, created + step * k)
                events.append((event_base + len(events), aid, before, after, actor, at))
            expires = created + grant_days
            ended, reason = None, ""
            if state == "withdrawn" and rng.random() < 0.6 or rng.random() < 0.03:
                ended, reason = min(now, updated + timedelta(days=rng.uniform(0, 3))), "withdrawn"
            elif expires <= now and rng.random() < 0.8:
                ended, reason = expires, "expired"  # the daily task recorded it; the rest lapse by the clock
            flags = (rng.random() < 0.7, rng.random() < 0.2, rng.random() < 0.4, rng.random() < 0.5)
            origin = "proposal" if rng.random() < 0.05 else "application"
            grants.append((gid, uid, eid, origin, *flags, created, created, expires, ended, reason))
        self.load.say(f"applications drawn ({skipped} skipped: nobody free then)", len(apps))
        n = self.load.copy(
            ShareGrant,
            ["id", "candidate_id", "employer_id", "origin", "include_contact", "include_address",
             "include_date_of_birth", "include_photo", "granted_at", "confirmed_at", "expires_at", "ended_at",
             "end_reason"],
            grants,
        )  # fmt: skip
        self.load.say("share grants (one per application)", n)
        n = self.load.copy(
            Application,
            ["id", "opening_id", "candidate_id", "grant_id", "state", "created_at", "updated_at", "closed_at"],
            apps,
        )
        self.load.say("applications", n)
        n = self.load.copy(
            ApplicationEvent, ["id", "application_id", "from_state", "to_state", "actor_id", "occurred_at"], events
        )
        self.load.say("application history events", n)
        del apps, events
        # The ledger: a GRANT event per grant (and its end), the policy acceptances.
        employer_name = dict(Employer.objects.filter(pk__in=self.employer_ids).values_list("pk", "legal_name"))
        dua = self.policies["data_use"]

        def ledger():
            for gid, uid, eid, origin, contact, address, dob, photo, granted, _c, expires, ended, reason in grants:
                groups = ["core"] + [g for g, on in (("address", address), ("contact", contact),
                                                     ("date_of_birth", dob), ("photo", photo)) if on]  # fmt: skip
                scope = json.dumps({"field_groups": sorted(groups), "purpose": SHARE_PURPOSE,
                                    "expires_at": expires.isoformat(), "origin": origin})  # fmt: skip
                key = self.subject_key[uid]
                yield (granted, key, "share", "grant", eid, employer_name[eid], gid, None, scope, dua.pk, "en",
                       "web", "subject")  # fmt: skip
                if ended:
                    event, channel, actor = (
                        ("withdraw", "web", "subject") if reason == "withdrawn" else ("expire", "system", "system")
                    )
                    yield (ended, key, "share", event, eid, employer_name[eid], gid, None, scope, dua.pk, "en",
                           channel, actor)  # fmt: skip
            for uid, version, accepted in self.policy_events:
                yield (accepted, self.subject_key[uid], "policy", "grant", None, "", None, version.pk, "{}",
                       version.pk, "en", "web", "subject")  # fmt: skip

        start = next_id(ConsentEvent)
        n = self.load.copy(
            ConsentEvent,
            ["id", "occurred_at", "subject_key", "kind", "event", "employer_id", "employer_name", "grant_id",
             "policy_version_id", "scope", "notice_version_id", "language", "channel", "actor"],
            ((start + k, *row) for k, row in enumerate(ledger())),
        )  # fmt: skip
        self.load.say("consent ledger events", n)

    def finish(self) -> None:
        from django.apps import apps
        from django.core.management.color import no_style
        from django.db import connection

        models = [m for m in apps.get_models(include_auto_created=True) if self.load.counts.get(m._meta.label)]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        self.load.say("sequences moved past the generated ids")


def _uuid(rng: random.Random):
    import uuid

    return uuid.UUID(int=rng.getrandbits(128), version=4)


# --- Command line -----------------------------------------------------------------------------

FULL = {"candidates": 100_000, "employers": 2_000, "openings": 20_000, "applications": 500_000}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://user@host:port/name (created if missing)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count (e.g. 0.01 for a quick run)")
    for name, full in FULL.items():
        parser.add_argument(f"--{name}", type=int, help=f"default {full:,} × scale")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--recreate", action="store_true", help="drop and recreate the database first")
    args = parser.parse_args(argv)
    counts = {name: getattr(args, name) or max(1, math.ceil(full * args.scale)) for name, full in FULL.items()}
    counts["employers"] = max(counts["employers"], 2)

    started = time.perf_counter()
    if args.recreate:
        drop_database(args.database_url)
    created = ensure_database(args.database_url)
    from bench import django_setup, migrate

    django_setup(args.database_url)
    from django.db import connection, transaction

    loader = Loader(started)
    loader.say(f"database {'created' if created else 'exists'}; migrating")
    migrate()
    from accounts.models import User

    if User.objects.filter(email__endswith="@bench.tsunagu.test").exists():
        print("This database already holds generated data: use --recreate to start again.", file=sys.stderr)
        return 2
    loader.say("generating " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    with transaction.atomic():
        Generator(counts=counts, seed=args.seed, loader=loader).run()
    loader.say("committed; VACUUM ANALYZE")
    connection.close()
    import psycopg

    with psycopg.connect(args.database_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    loader.say(f"done; database size {size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
