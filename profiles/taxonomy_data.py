# ruff: noqa: E501 - data tables read best one entry per line
"""First contents of the taxonomies, from ../shared/domain/japan.md.

Loaded by migration 0002 and by `manage.py load_taxonomies`, which only adds
missing entries: once loaded, staff own the data (admin) and code changes never
overwrite their edits. Items marked [M] in the domain notes are unconfirmed;
they say so in `notes`.
"""

# (code, English, Japanese)
PREFECTURES = [
    ("01", "Hokkaido", "北海道"), ("02", "Aomori", "青森県"), ("03", "Iwate", "岩手県"), ("04", "Miyagi", "宮城県"),
    ("05", "Akita", "秋田県"), ("06", "Yamagata", "山形県"), ("07", "Fukushima", "福島県"), ("08", "Ibaraki", "茨城県"),
    ("09", "Tochigi", "栃木県"), ("10", "Gunma", "群馬県"), ("11", "Saitama", "埼玉県"), ("12", "Chiba", "千葉県"),
    ("13", "Tokyo", "東京都"), ("14", "Kanagawa", "神奈川県"), ("15", "Niigata", "新潟県"), ("16", "Toyama", "富山県"),
    ("17", "Ishikawa", "石川県"), ("18", "Fukui", "福井県"), ("19", "Yamanashi", "山梨県"), ("20", "Nagano", "長野県"),
    ("21", "Gifu", "岐阜県"), ("22", "Shizuoka", "静岡県"), ("23", "Aichi", "愛知県"), ("24", "Mie", "三重県"),
    ("25", "Shiga", "滋賀県"), ("26", "Kyoto", "京都府"), ("27", "Osaka", "大阪府"), ("28", "Hyogo", "兵庫県"),
    ("29", "Nara", "奈良県"), ("30", "Wakayama", "和歌山県"), ("31", "Tottori", "鳥取県"), ("32", "Shimane", "島根県"),
    ("33", "Okayama", "岡山県"), ("34", "Hiroshima", "広島県"), ("35", "Yamaguchi", "山口県"), ("36", "Tokushima", "徳島県"),
    ("37", "Kagawa", "香川県"), ("38", "Ehime", "愛媛県"), ("39", "Kochi", "高知県"), ("40", "Fukuoka", "福岡県"),
    ("41", "Saga", "佐賀県"), ("42", "Nagasaki", "長崎県"), ("43", "Kumamoto", "熊本県"), ("44", "Oita", "大分県"),
    ("45", "Miyazaki", "宮崎県"), ("46", "Kagoshima", "鹿児島県"), ("47", "Okinawa", "沖縄県"),
]

# The 16 Specified Skilled Worker fields (cabinet decision 29 Mar 2024), with
# whether SSW (ii) exists for the field. English names are common renderings,
# unchecked against ISA [M].
SSW_FIELDS = [
    ("ssw_nursing_care", "Nursing care (SSW)", "介護（特定技能）", False),
    ("ssw_building_cleaning", "Building cleaning (SSW)", "ビルクリーニング（特定技能）", True),
    ("ssw_industrial_manufacturing", "Industrial product manufacturing (SSW)", "工業製品製造業（特定技能）", True),
    ("ssw_construction", "Construction (SSW)", "建設（特定技能）", True),
    ("ssw_shipbuilding", "Shipbuilding and ship machinery (SSW)", "造船・舶用工業（特定技能）", True),
    ("ssw_automobile_repair", "Automobile repair and maintenance (SSW)", "自動車整備（特定技能）", True),
    ("ssw_aviation", "Aviation (SSW)", "航空（特定技能）", True),
    ("ssw_accommodation", "Accommodation (SSW)", "宿泊（特定技能）", True),
    ("ssw_agriculture", "Agriculture (SSW)", "農業（特定技能）", True),
    ("ssw_fishery", "Fishery and aquaculture (SSW)", "漁業（特定技能）", True),
    ("ssw_food_manufacturing", "Food and beverage manufacturing (SSW)", "飲食料品製造業（特定技能）", True),
    ("ssw_food_service", "Food service (SSW)", "外食業（特定技能）", True),
    ("ssw_automobile_transport", "Automobile transportation (SSW)", "自動車運送業（特定技能）", False),
    ("ssw_railway", "Railway (SSW)", "鉄道（特定技能）", False),
    ("ssw_forestry", "Forestry (SSW)", "林業（特定技能）", False),
    ("ssw_wood_industry", "Wood industry (SSW)", "木材産業（特定技能）", False),
]

# Other kinds of work, for the professional statuses and for unrestricted or
# part-time work.
GENERAL_CATEGORIES = [
    ("it_engineering", "IT and engineering", "IT・エンジニア"),
    ("office_admin", "Office work and administration", "事務・管理"),
    ("interpretation", "Interpretation and translation", "通訳・翻訳"),
    ("sales_marketing", "Sales, marketing and trade", "営業・マーケティング・貿易"),
    ("hotel_guest_services", "Hotel and guest services (professional)", "ホテル・観光（専門職）"),
    ("teaching", "Teaching (languages, schools)", "教育・語学講師"),
    ("research", "Research", "研究"),
    ("medical", "Medical professions", "医療"),
    ("legal_accounting", "Legal and accounting services", "法律・会計業務"),
    ("business_management", "Business management", "経営・管理"),
    ("entertainment", "Entertainment and performing arts", "興行・芸能"),
    ("chef_foreign_cuisine", "Chef of foreign cuisine (skilled)", "外国料理の調理師（技能）"),
    ("care_worker", "Care work (certified care worker)", "介護福祉士"),
    ("retail_restaurant_staff", "Shop and restaurant staff", "販売・飲食店スタッフ"),
    ("factory_warehouse", "Factory, warehouse and light work", "工場・倉庫・軽作業"),
    ("cleaning", "Cleaning", "清掃"),
    ("delivery_driving", "Delivery and driving", "配送・ドライバー"),
]

SSW_ALL = [code for code, *_ in SSW_FIELDS]
SSW_II = [code for code, _en, _ja, ii in SSW_FIELDS if ii]
TECH_INTERN_FIELDS = [c for c in SSW_ALL if c not in ("ssw_aviation", "ssw_railway", "ssw_automobile_transport")]

# (code, English, official Japanese, work rule, part-time hours with permission, categories within scope, notes)
STATUSES = [
    ("permanent_resident", "Permanent Resident", "永住者", "unrestricted", None, [], "就労制限なし"),
    ("spouse_of_japanese", "Spouse or Child of Japanese National", "日本人の配偶者等", "unrestricted", None, [], "就労制限なし"),
    ("spouse_of_permanent_resident", "Spouse or Child of Permanent Resident", "永住者の配偶者等", "unrestricted", None, [], "就労制限なし"),
    ("long_term_resident", "Long-Term Resident", "定住者", "unrestricted", None, [], "就労制限なし"),
    ("special_permanent_resident", "Special Permanent Resident", "特別永住者", "unrestricted", None, [],
     "Special Act, not the Immigration Act; holds a certificate, not a residence card. [M]"),
    ("professor", "Professor", "教授", "within_scope", None, ["teaching", "research"], ""),
    ("artist", "Artist", "芸術", "within_scope", None, [],
     "Artistic work (composers, painters, writers), not performing in shows: that is Entertainer (興行)."),
    ("religious_activities", "Religious Activities", "宗教", "within_scope", None, [], ""),
    ("journalist", "Journalist", "報道", "within_scope", None, [], ""),
    ("highly_skilled_1a", "Highly Skilled Professional (i)(a)", "高度専門職1号イ", "within_scope", None,
     ["research", "teaching"], "Designation names the employer."),
    ("highly_skilled_1b", "Highly Skilled Professional (i)(b)", "高度専門職1号ロ", "within_scope", None,
     ["it_engineering", "office_admin", "interpretation", "sales_marketing", "legal_accounting", "medical", "research"],
     "Designation names the employer."),
    ("highly_skilled_1c", "Highly Skilled Professional (i)(c)", "高度専門職1号ハ", "within_scope", None,
     ["business_management"], "Designation names the employer."),
    ("highly_skilled_2", "Highly Skilled Professional (ii)", "高度専門職2号", "within_scope", None,
     ["it_engineering", "office_admin", "interpretation", "sales_marketing", "legal_accounting", "medical", "research",
      "business_management", "teaching"], "Indefinite period, wider scope."),
    ("business_manager", "Business Manager", "経営・管理", "within_scope", None, ["business_management"], ""),
    ("legal_accounting", "Legal/Accounting Services", "法律・会計業務", "within_scope", None, ["legal_accounting"], ""),
    ("medical_services", "Medical Services", "医療", "within_scope", None, ["medical"], ""),
    ("researcher", "Researcher", "研究", "within_scope", None, ["research"], ""),
    ("instructor", "Instructor", "教育", "within_scope", None, ["teaching"], ""),
    ("engineer_humanities", "Engineer/Specialist in Humanities/International Services", "技術・人文知識・国際業務",
     "within_scope", None,
     ["it_engineering", "office_admin", "interpretation", "sales_marketing", "hotel_guest_services", "teaching"],
     "The most common work status. Covers language teaching at companies and private language schools "
     "(international services: 翻訳・通訳・語学の指導)."),
    ("intra_company_transferee", "Intra-company Transferee", "企業内転勤", "within_scope", None,
     ["it_engineering", "office_admin", "interpretation", "sales_marketing"], "Only at the transferring group."),
    ("nursing_care", "Nursing Care", "介護", "within_scope", None, ["care_worker", "ssw_nursing_care"],
     "Requires the 介護福祉士 (certified care worker) qualification."),
    ("entertainer", "Entertainer", "興行", "within_scope", None, ["entertainment"], ""),
    ("skilled_labor", "Skilled Labor", "技能", "within_scope", None, ["chef_foreign_cuisine"], ""),
    ("ssw_1", "Specified Skilled Worker (i)", "特定技能1号", "within_scope", None, SSW_ALL,
     "≤5 years in total; a designation names the employer. Skills test + JFT-Basic A2 or JLPT N4. [M]"),
    ("ssw_2", "Specified Skilled Worker (ii)", "特定技能2号", "within_scope", None, SSW_II,
     "Unlimited renewals; family may join. 11 fields."),
    ("technical_intern_1", "Technical Intern Training (i)", "技能実習1号", "within_scope", None, TECH_INTERN_FIELDS,
     "Only at the organisation named in the designation. Being replaced by 育成就労 from 1 Apr 2027."),
    ("technical_intern_2", "Technical Intern Training (ii)", "技能実習2号", "within_scope", None, TECH_INTERN_FIELDS,
     "Only at the organisation named in the designation. Being replaced by 育成就労 from 1 Apr 2027."),
    ("technical_intern_3", "Technical Intern Training (iii)", "技能実習3号", "within_scope", None, TECH_INTERN_FIELDS,
     "Only at the organisation named in the designation. Being replaced by 育成就労 from 1 Apr 2027."),
    ("designated_activities", "Designated Activities (other designation)", "特定活動（その他の指定）", "designation", None, [],
     "Work only as the designation (指定書) says, or none. The designations the engine knows are separate entries "
     "(job hunting, working holiday, No. 46); any other one is never treated as allowing work."),
    ("student", "Student", "留学", "not_permitted", 28, [],
     "With permission: ≤28 h in any 7 days; ≤8 h/day in long vacations; only while enrolled; no adult entertainment."),
    ("dependent", "Dependent", "家族滞在", "not_permitted", 28, [], "With permission: ≤28 h/week; no vacation exception."),
    ("cultural_activities", "Cultural Activities", "文化活動", "not_permitted", None, [],
     "No work; individual permission possible. [M]"),
    ("trainee", "Trainee", "研修", "not_permitted", None, [], "No work; individual permission possible. [M]"),
    ("temporary_visitor", "Temporary Visitor", "短期滞在", "not_permitted", None, [], "No work; permission generally not granted. [M]"),
    ("diplomat", "Diplomat", "外交", "not_permitted", None, [], "No residence card. [M]"),
    ("official", "Official", "公用", "not_permitted", None, [], "No residence card. [M]"),
]

# Designated Activities (特定活動) is a family: the work allowed depends on the
# designation (指定書). The designations that matter for work, as entries of
# their own next to "designated_activities" (any other designation), with the
# official name 特定活動 and the same columns as STATUSES. Their work rules are
# in work_rules_data.py.
DESIGNATED_ACTIVITIES = [
    ("designated_activities_job_hunting", "Designated Activities: job hunting after graduation",
     "特定活動（継続就職活動）", "not_permitted", 28, [],
     "Graduates of Japanese universities or vocational schools looking for work (6 months, renewable once). "
     "Work only with permission for activity outside status: 28 h a week, no vacation exception."),
    ("designated_activities_working_holiday", "Designated Activities: working holiday",
     "特定活動（ワーキング・ホリデー）", "designation", None, [],
     "Work to fund the holiday, no permission needed; never in adult entertainment businesses."),
    ("designated_activities_no46", "Designated Activities: No. 46 (Japanese university graduate)",
     "特定活動（告示46号・本邦大学卒業者）", "designation", None,
     ["it_engineering", "office_admin", "interpretation", "sales_marketing", "hotel_guest_services",
      "retail_restaurant_staff"],
     "Graduates of a Japanese university with JLPT N1 or BJT 480+: full-time work using Japanese, including "
     "customer service in shops and restaurants. The designation names the employer."),
]

# Not offered until it is in force (Act No. 60 of 2024, from 1 Apr 2027):
# staff switch `active` on then.
FUTURE_STATUSES = [
    ("employment_for_skill_development", "Employment for Skill Development", "育成就労", "within_scope", None,
     TECH_INTERN_FIELDS, "In force 1 Apr 2027; replaces Technical Intern Training. 17 fields [M]."),
]

# (test code, English, Japanese, [(level code, English, Japanese, common scale)])
# The common scale puts every test on JLPT's: 1 = N5 … 5 = N1.
# BJT has no official mapping: J5→1 … J1/J1+→5 follows the HSP points table
# (N1 ≈ BJT ≥480, N2 ≈ BJT ≥400) and is unconfirmed [M].
JAPANESE_TESTS = [
    ("jlpt", "JLPT", "日本語能力試験", [
        ("jlpt_n1", "JLPT N1", "N1", 5), ("jlpt_n2", "JLPT N2", "N2", 4), ("jlpt_n3", "JLPT N3", "N3", 3),
        ("jlpt_n4", "JLPT N4", "N4", 2), ("jlpt_n5", "JLPT N5", "N5", 1),
    ]),
    ("jft_basic", "JFT-Basic", "国際交流基金日本語基礎テスト", [
        ("jft_a2", "JFT-Basic A2 (200+)", "JFT-Basic A2（200点以上）", 2),
        ("jft_a1", "JFT-Basic A1", "JFT-Basic A1", 1),
    ]),
    ("bjt", "BJT Business Japanese Proficiency Test", "BJTビジネス日本語能力テスト", [
        ("bjt_j1plus", "BJT J1+ (600–800)", "BJT J1+（600–800点）", 5),
        ("bjt_j1", "BJT J1 (530–599)", "BJT J1（530–599点）", 5),
        ("bjt_j2", "BJT J2 (420–529)", "BJT J2（420–529点）", 4),
        ("bjt_j3", "BJT J3 (320–419)", "BJT J3（320–419点）", 3),
        ("bjt_j4", "BJT J4 (200–319)", "BJT J4（200–319点）", 2),
        ("bjt_j5", "BJT J5 (0–199)", "BJT J5（0–199点）", 1),
    ]),
    ("nat_test", "NAT-TEST", "NAT-TEST", [
        ("nat_1", "NAT-TEST Grade 1", "NAT-TEST 1級", 5), ("nat_2", "NAT-TEST Grade 2", "NAT-TEST 2級", 4),
        ("nat_3", "NAT-TEST Grade 3", "NAT-TEST 3級", 3), ("nat_4", "NAT-TEST Grade 4", "NAT-TEST 4級", 2),
        ("nat_5", "NAT-TEST Grade 5", "NAT-TEST 5級", 1),
    ]),
]

EMPLOYMENT_TYPES = [
    ("full_time", "Full-time (permanent)", "正社員"),
    ("contract", "Contract", "契約社員"),
    ("part_time", "Part-time", "アルバイト・パート"),
    ("dispatch", "Temporary agency (dispatch)", "派遣社員"),
]

# (code, group, English, Japanese, SSW field, free text)
QUALIFICATION_KINDS = [
    *[(f"skills_test_{code[4:]}", "ssw_skills_test", f"SSW skills test: {en.replace(' (SSW)', '')}",
       f"特定技能評価試験：{ja.replace('（特定技能）', '')}", code, False) for code, en, ja, _ii in SSW_FIELDS],
    ("licence_ordinary", "driving", "Ordinary driving licence (Japan)", "普通自動車免許", None, False),
    ("licence_semi_medium", "driving", "Semi-medium driving licence", "準中型自動車免許", None, False),
    ("licence_medium", "driving", "Medium driving licence", "中型自動車免許", None, False),
    ("licence_large", "driving", "Large driving licence", "大型自動車免許", None, False),
    ("forklift", "driving", "Forklift operation (skills course)", "フォークリフト運転技能講習", None, False),
    ("licence_foreign", "driving", "Driving licence from another country", "外国の運転免許", None, False),
    ("international_driving_permit", "driving", "International driving permit", "国際運転免許証", None, False),
    ("certified_care_worker", "nursing", "Certified care worker (介護福祉士)", "介護福祉士", None, False),
    ("care_initial_training", "nursing", "Care worker initial training", "介護職員初任者研修", None, False),
    ("care_practical_training", "nursing", "Care worker practical training", "介護福祉士実務者研修", None, False),
    ("registered_nurse_japan", "nursing", "Registered nurse (Japan)", "看護師", None, False),
    ("nurse_foreign", "nursing", "Nursing qualification from another country", "外国の看護資格", None, False),
    ("other", "other", "Other qualification", "その他の資格", None, True),
]

# Added with the work rules (issue 12), after "other" so that the entries
# above keep their order: the nursing-care Japanese evaluation test (SSW
# nursing care needs it as well as JFT-Basic or JLPT N4), the SSW (ii) tests
# of the 11 fields that have SSW (ii), and the good completion of Technical
# Intern Training (ii) per field (it replaces the SSW (i) tests of that field).
QUALIFICATION_KINDS_ADDED = [
    ("nursing_care_japanese_test", "nursing", "Nursing-care Japanese evaluation test", "介護日本語評価試験",
     "ssw_nursing_care", False),
    *[(f"skills_test_ii_{code[4:]}", "ssw_ii_skills_test", f"SSW (ii) skills test: {en.replace(' (SSW)', '')}",
       f"特定技能2号評価試験：{ja.replace('（特定技能）', '')}", code, False) for code, en, ja, ii in SSW_FIELDS if ii],
    *[(f"titp_ii_completed_{code[4:]}", "titp_completion",
       f"Completed Technical Intern Training (ii): {en.replace(' (SSW)', '')}",
       f"技能実習2号良好修了：{ja.replace('（特定技能）', '')}", code, False)
      for code, en, ja, _ii in SSW_FIELDS if code in TECH_INTERN_FIELDS],
]

# Readings and synonyms the job search finds places and kinds of work by
# (Searchable.readings). Kana in hiragana (the search folds katakana into
# it); romaji with and without long vowels. Loaded with the entries and, for
# a database loaded before readings existed, by migration profiles.0006;
# once loaded, staff own them (admin).
PREFECTURE_READINGS = {
    "01": "北海道 ほっかいどう hokkaido hokkaidou", "02": "青森 あおもり aomori", "03": "岩手 いわて iwate",
    "04": "宮城 みやぎ miyagi", "05": "秋田 あきた akita", "06": "山形 やまがた yamagata",
    "07": "福島 ふくしま fukushima", "08": "茨城 いばらき ibaraki", "09": "栃木 とちぎ tochigi",
    "10": "群馬 ぐんま gunma", "11": "埼玉 さいたま saitama", "12": "千葉 ちば chiba",
    "13": "東京 とうきょう とうきょうと tokyo toukyou tokio", "14": "神奈川 かながわ kanagawa yokohama 横浜",
    "15": "新潟 にいがた niigata", "16": "富山 とやま toyama", "17": "石川 いしかわ ishikawa",
    "18": "福井 ふくい fukui", "19": "山梨 やまなし yamanashi", "20": "長野 ながの nagano",
    "21": "岐阜 ぎふ gifu", "22": "静岡 しずおか shizuoka", "23": "愛知 あいち aichi nagoya 名古屋",
    "24": "三重 みえ mie", "25": "滋賀 しが shiga", "26": "京都 きょうと kyoto kyouto",
    "27": "大阪 おおさか osaka oosaka", "28": "兵庫 ひょうご hyogo hyougo kobe 神戸", "29": "奈良 なら nara",
    "30": "和歌山 わかやま wakayama", "31": "鳥取 とっとり tottori", "32": "島根 しまね shimane",
    "33": "岡山 おかやま okayama", "34": "広島 ひろしま hiroshima", "35": "山口 やまぐち yamaguchi",
    "36": "徳島 とくしま tokushima", "37": "香川 かがわ kagawa", "38": "愛媛 えひめ ehime",
    "39": "高知 こうち kochi kouchi", "40": "福岡 ふくおか fukuoka", "41": "佐賀 さが saga",
    "42": "長崎 ながさき nagasaki", "43": "熊本 くまもと kumamoto", "44": "大分 おおいた oita ooita",
    "45": "宮崎 みやざき miyazaki", "46": "鹿児島 かごしま kagoshima", "47": "沖縄 おきなわ okinawa",
}

CATEGORY_READINGS = {
    "ssw_nursing_care": "介護 かいご kaigo 介護士 かいごし kaigoshi nursing caregiver carer care ヘルパー helper",
    "ssw_building_cleaning": "ビルクリーニング 清掃 せいそう seisou cleaning cleaner janitor",
    "ssw_industrial_manufacturing": "製造 せいぞう seizou manufacturing factory 工場 こうじょう koujou 溶接 ようせつ yousetsu yosetsu welder welding 機械加工 machining metal electronics",
    "ssw_construction": "建設 けんせつ kensetsu construction builder 建築 けんちく kenchiku 大工 だいく daiku carpenter 左官 とび",
    "ssw_shipbuilding": "造船 ぞうせん zousen shipbuilding shipyard 溶接 ようせつ yousetsu welder welding 塗装 painter",
    "ssw_automobile_repair": "自動車整備 整備 せいび seibi mechanic car automobile repair maintenance",
    "ssw_aviation": "航空 こうくう koukuu aviation airport 空港 くうこう kuukou",
    "ssw_accommodation": "宿泊 しゅくはく shukuhaku hotel ホテル 旅館 りょかん ryokan accommodation",
    "ssw_agriculture": "農業 のうぎょう nougyou nogyo agriculture farm farming farmer 畜産 livestock",
    "ssw_fishery": "漁業 ぎょぎょう gyogyou gyogyo fishery fishing fisherman 養殖 aquaculture",
    "ssw_food_manufacturing": "食品製造 食品 しょくひん shokuhin 飲食料品 food factory processing",
    "ssw_food_service": "外食 がいしょく gaishoku 飲食 いんしょく inshoku restaurant 調理 ちょうり chouri cook kitchen waiter",
    "ssw_automobile_transport": "運送 うんそう unsou 運転手 driver ドライバー トラック truck バス bus タクシー taxi",
    "ssw_railway": "鉄道 てつどう tetsudou railway train",
    "ssw_forestry": "林業 りんぎょう ringyou forestry forest",
    "ssw_wood_industry": "木材 もくざい mokuzai 製材 wood lumber sawmill",
    "it_engineering": "エンジニア engineer software developer programmer プログラマー システム",
    "office_admin": "事務 じむ jimu office clerk administration",
    "interpretation": "通訳 つうやく tsuuyaku tsuyaku 翻訳 ほんやく honyaku interpreter translator translation",
    "sales_marketing": "営業 えいぎょう eigyou eigyo sales marketing 貿易 trade",
    "hotel_guest_services": "ホテル hotel 観光 かんこう kankou tourism フロント reception",
    "teaching": "教育 きょういく kyouiku teacher teaching 講師 こうし koushi 語学 instructor",
    "research": "研究 けんきゅう kenkyuu researcher research",
    "medical": "医療 いりょう iryou doctor nurse 看護 かんご kango 看護師 病院 hospital medical",
    "legal_accounting": "法律 ほうりつ 会計 かいけい kaikei accounting accountant legal lawyer",
    "business_management": "経営 けいえい keiei management manager",
    "entertainment": "芸能 げいのう geinou 興行 entertainment performer artist",
    "chef_foreign_cuisine": "調理師 ちょうりし chouri chef cook コック 料理 りょうり ryouri",
    "care_worker": "介護 かいご kaigo 介護福祉士 かいごふくしし kaigofukushishi nursing caregiver carer care",
    "retail_restaurant_staff": "販売 はんばい hanbai 飲食 いんしょく inshoku shop retail restaurant waiter waitress cashier レジ コンビニ konbini kitchen",
    "factory_warehouse": "工場 こうじょう koujou 倉庫 そうこ souko factory warehouse 軽作業 picking packing",
    "cleaning": "清掃 せいそう seisou cleaning cleaner 掃除 そうじ souji",
    "delivery_driving": "配送 はいそう haisou 配達 はいたつ delivery driver ドライバー driving 運転",
}
