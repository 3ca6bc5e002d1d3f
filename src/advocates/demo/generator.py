"""Deterministic demo sample: the Stride x KickMarket campaign on X, with a known answer.

:func:`write_demo_sample` writes ``posts.csv``, ``edges.csv`` and ``truth.json`` for a
fictional six-week Korean sneaker campaign (2026-09-01 to 2026-10-15). About 2,000 accounts
in four communities (runners, sneaker collectors, fashion, deal hunters) with planted roles:
genuine advocates, influential people who never mention the brand, bots, and ordinary
customers. ``truth.json`` lists the planted roles so an analysis can be checked against them.

The output depends only on ``seed``: it uses nothing but :class:`random.Random` draws over
lists in a fixed order, integer arithmetic for times and ids, and sorted JSON, so it is
byte-identical on any machine and any ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import accumulate
from pathlib import Path
from random import Random
from typing import Any

from advocates.demo.brand import BRAND_ACCOUNTS, CAMPAIGN_TAGS, KEYWORDS, PARTNER_ACCOUNTS

__all__ = ["COMMUNITIES", "EDGE_HEADER", "POST_HEADER", "SAMPLE_SEED", "write_demo_sample"]

#: Seed of the sample ``advocates demo`` writes (the files of ``fixtures/demo``).
SAMPLE_SEED = 7

#: Columns of ``posts.csv``, in order.
POST_HEADER: tuple[str, ...] = (
    "post_id",
    "platform",
    "author_id",
    "author",
    "author_name",
    "author_followers",
    "created_at",
    "lang",
    "text",
    "reply_to",
    "repost_of",
    "quote_of",
)
#: Columns of ``edges.csv``, in order.
EDGE_HEADER: tuple[str, ...] = ("source", "target", "kind", "created_at", "platform")
#: The four planted communities.
COMMUNITIES: tuple[str, ...] = ("runners", "sneakers", "fashion", "deals")

_START = datetime(2026, 9, 1, tzinfo=timezone.utc)
_DAYS = 45  # 2026-09-01 .. 2026-10-15
_END_S = _DAYS * 86400 - 1
_LAST_ORIGINAL_DAY = 43  # originals stop a day early so replies and likes fit the window
_ID_BASE = 1_760_000_000_000_000_000  # 19-digit, X-like (> 2**53), time-ordered post ids
(_PARTNER,) = PARTNER_ACCOUNTS  # the sample has one partner
_KEYWORD_KEYS = tuple(k.casefold() for k in KEYWORDS)
_TEXT_ONLY_HANDLES = ("러닝크루장", "브랜드매니저")
_HOSTILE = ("<img src=x onerror=alert(1)>", '=HYPERLINK("http://evil","click")')
_SIZES = {"runners": 525, "sneakers": 485, "fashion": 500, "deals": 475}
_MENTION_RE = re.compile(r"(?<![\w@.])@([^\W][\w.\-]*)")

# --------------------------------------------------------------------------- time weights
# Launch spike, the Glide 2 drop on day 21 (2026-09-22), a busier final week.
_DAY_W = [10] * (_LAST_ORIGINAL_DAY + 1)
for _d, _w in ((0, 40), (1, 28), (2, 18), (3, 13), (21, 32), (22, 20), (23, 14)):
    _DAY_W[_d] = _w
for _d in range(37, _LAST_ORIGINAL_DAY + 1):
    _DAY_W[_d] = 13
_DAY_CUM = list(accumulate(_DAY_W))
# Weights per UTC hour; Korea is UTC+9 (evening peak 19-23 KST = 10-14 UTC).
_HOUR_W = [12, 10, 10, 12, 15, 10, 10, 10, 10, 12, 25, 25, 25, 25, 25, 20, 20, 3, 3, 3, 3, 3]
_HOUR_W += [15, 15]
_HOUR_CUM = list(accumulate(_HOUR_W))
_DELAYS = ((30, 600), (600, 3600), (3600, 4 * 3600), (4 * 3600, 16 * 3600))
_DELAY_CUM = list(accumulate((35, 30, 25, 10)))

# --------------------------------------------------------------------------- names
_NAMES = (
    ("minji", "민지"), ("jiwoo", "지우"), ("seoyeon", "서연"), ("hana", "하나"),
    ("junho", "준호"), ("doyun", "도윤"), ("yuna", "유나"), ("sora", "소라"),
    ("taeho", "태호"), ("eunbi", "은비"), ("jihoon", "지훈"), ("subin", "수빈"),
    ("yerin", "예린"), ("hyunwoo", "현우"), ("daeun", "다은"), ("seungmin", "승민"),
    ("chaewon", "채원"), ("minjun", "민준"), ("jia", "지아"), ("seojun", "서준"),
    ("haeun", "하은"), ("jiho", "지호"), ("yujin", "유진"), ("dohyun", "도현"),
    ("soyeon", "소연"), ("hyejin", "혜진"), ("woojin", "우진"), ("nayeon", "나연"),
    ("sungho", "성호"), ("jisoo", "지수"), ("gaeun", "가은"), ("hyunjin", "현진"),
    ("mirae", "미래"), ("bora", "보라"), ("sehun", "세훈"), ("yeji", "예지"),
    ("taeyang", "태양"), ("dami", "다미"), ("jaemin", "재민"), ("eunji", "은지"),
)  # fmt: skip
_EN_NAMES = (
    "Alex", "Sam", "Jamie", "Chris", "Dana", "Leo", "Mia", "Noah", "Emma", "Ryan",
    "Kate", "Ben", "Zoe", "Max", "Lily", "Jay", "Ella", "Owen", "Ivy", "Luke",
)  # fmt: skip
_HANDLE_WORDS = {
    "runners": (
        "run",
        "runs",
        "runner",
        "pace",
        "km",
        "marathon",
        "jog",
        "tempo",
        "miles",
        "trail",
    ),
    "sneakers": ("kicks", "sneaks", "sole", "soles", "pairs", "drops", "resell", "laces", "heat"),
    "fashion": ("ootd", "style", "fit", "look", "closet", "daily", "mood", "outfit", "wear"),
    "deals": ("deal", "deals", "saver", "coupon", "sale", "hotdeal", "bargain", "save", "points"),
}
_KO_PREFIX = {
    "runners": ("러닝하는", "달리는", "새벽러너", "마라토너", "러닝크루"),
    "sneakers": ("스니커즈 덕후", "신발 모으는", "킥스", "운동화 부자"),
    "fashion": ("오늘의 코디", "옷 좋아하는", "데일리룩", "코디하는"),
    "deals": ("핫딜 헌터", "알뜰한", "쿠폰 모으는", "최저가 찾는"),
}
_EN_SUFFIX = {
    "runners": ("Runs", "on the run", "| runner", "Miles"),
    "sneakers": ("Kicks", "| sneakers", "Sole", "Pairs"),
    "fashion": ("Style", "| ootd", "Daily Fits", "Wears"),
    "deals": ("Deals", "| saver", "Coupons", "Bargains"),
}
_EMOJI = ("👟", "🏃", "✨", "🔥", "💸", "🖤")
_EN_SHARE = {"runners": 25, "sneakers": 35, "fashion": 20, "deals": 10}

# Planted accounts: (handle, community, lang, display name, tier).
_ADVOCATES = (
    ("minji_runs", "runners", "ko", "러닝하는 민지 🏃‍♀️", "mid"),
    ("hangang_pace", "runners", "ko", "한강 페이스메이커", "small"),
    ("runwithleo", "runners", "en", "Leo Runs Seoul", "small"),
    ("sole_junho", "sneakers", "ko", "스니커즈 덕후 준호", "mid"),
    ("kicks_yerin", "sneakers", "ko", "킥스 예린", "small"),
    ("heatcheck_sam", "sneakers", "en", "Sam | heat check", "small"),
    ("daily_yuna", "fashion", "ko", "데일리룩 유나 ✨", "mid"),
    ("chaewon_fit", "fashion", "ko", "코디하는 채원", "small"),
    ("mia_wears", "fashion", "en", "Mia Wears", "small"),
    ("saver_dohyun", "deals", "ko", "핫딜 헌터 도현", "mid"),
    ("coupon_hana", "deals", "ko", "쿠폰 모으는 하나", "small"),
    ("dealhunter_max", "deals", "en", "Max Deals", "small"),
)
_INFLUENCERS = (
    ("marathon_taeho", "runners", "ko", "마라토너 태호", ""),
    ("trailqueen_bora", "runners", "en", "Bora | trail queen", ""),
    ("resell_king", "sneakers", "ko", "리셀왕", ""),
    ("sneakerdad_jay", "sneakers", "en", "Jay the Sneaker Dad", ""),
    ("stylist_nayeon", "fashion", "ko", "스타일리스트 나연", ""),
    ("lookbook_ella", "fashion", "en", "Ella Lookbook", ""),
    ("hotdeal_master", "deals", "ko", "핫딜마스터", ""),
    ("couponmom_sora", "deals", "ko", "쿠폰맘 소라", ""),
)
_BOTS = (
    ("event_lucky01", "이벤트 당첨 기원"),
    ("giveaway_kr77", "giveaway kr"),
    ("free_gift_88", "선물 받고 싶다"),
    ("luckydraw_kr", "럭키드로우"),
    ("prize_hunter7", "prize hunter"),
    ("evt_joiner_3", "이벤트 참여왕"),
)
_CUSTOMERS = {"runners": 45, "sneakers": 40, "fashion": 30, "deals": 35}
_CUSTOMER_KIND_CUM = list(accumulate((27, 20, 53)))  # ask, buy, appeal
_BRIDGES = (
    ("runners", "fashion", 3),
    ("sneakers", "fashion", 4),
    ("deals", "sneakers", 3),
    ("runners", "sneakers", 2),
)
_FOLLOWER_TIERS = (
    (5, 40), (40, 120), (120, 300), (300, 700), (700, 1500), (1500, 4000), (4000, 10000),
    (10000, 30000),
)  # fmt: skip
_FOLLOWER_CUM = list(accumulate((10, 20, 25, 20, 12, 8, 4, 1)))

# --------------------------------------------------------------------------- texts
_TOPIC = {
    ("runners", "ko"): (
        "오늘 {place}에서 {km}km 완주! 페이스 {pace} 유지 성공 #러닝 #러닝크루",
        "새벽 러닝 {km}km 다녀왔어요. 공기가 완전 가을이네요 #러닝",
        "{race} 접수 완료! 같이 뛰실 분 계신가요? #마라톤",
        "인터벌 {n}세트 끝… 다리가 후들후들 #러닝크루",
        "이번 주 토요일 {place} 정기런 있어요. 초보 환영! #러닝크루 #러닝",
        "LSD {km}km. 심박 관리가 제일 어렵네요 #마라톤",
        "부상 없이 꾸준히 뛰는 게 제일 중요한 듯 #러닝",
        "러닝 끝나고 먹는 국밥이 최고 ㅋㅋ #러닝크루",
        "{race} 목표는 서브{sub}… 할 수 있겠지? #마라톤",
        "비 와도 뛴다 🌧 {km}km 기록 #러닝",
    ),
    ("runners", "en"): (
        "Easy {km}k along {place_en} this morning #runningcrew",
        "Signed up for {race_en}! Who else is running? #마라톤 #runningcrew",
        "Tempo run done at {pace_en}/km. Legs are toast #runningcrew",
        "Long run Sunday: {km}k at conversational pace #러닝",
        "Crew run at {place_en} this Saturday, all paces welcome #runningcrew",
    ),
    ("sneakers", "ko"): (
        "오늘 발매 {n}개 응모했는데 전부 광탈 ㅠㅠ #스니커즈",
        "리셀가 {price}만원 실화냐… #리셀 #스니커즈",
        "신발장 정리하다 보니 {pairs}켤레… 이제 그만 사야지 #스니커즈",
        "오늘의 착용샷 👟 #스니커즈 #sneakerhead",
        "정가에 구했다!! 드디어 드림슈 #스니커즈",
        "박스 보관파 vs 착용파? 저는 무조건 신는 파 #sneakerhead",
        "이번 주 발매 캘린더 정리해봤어요 #스니커즈 #리셀",
        "리셀 시장 요즘 확실히 식었네요 #리셀",
        "세탁 맡겼던 흰 운동화가 새것처럼 돌아옴 ✨ #스니커즈",
    ),
    ("sneakers", "en"): (
        "Took an L on all {n} raffles today #sneakerhead",
        "Resale is sitting at {mult}x retail, wild #리셀 #sneakerhead",
        "Cleaned my rotation: {pairs} pairs and counting #sneakerhead",
        "Wear them, don't hoard them #sneakerhead #스니커즈",
        "Release calendar for this week is stacked #sneakerhead",
    ),
    ("fashion", "ko"): (
        "오늘의 데일리룩 🖤 #데일리룩 #ootd",
        "가을 코디 고민 중… 트렌치 vs 가디건 #패션",
        "출근룩 기록 #데일리룩",
        "{color} 컬러 조합 너무 좋다 #패션 #ootd",
        "주말 {area} 나들이룩 #ootd #데일리룩",
        "니트 꺼낼 계절이 왔다 #패션",
        "키 {height}cm 코디 참고하세요 #데일리룩",
        "오늘은 올블랙으로 #ootd",
    ),
    ("fashion", "en"): (
        "Fit check for the weekend #ootd",
        "Fall layering season is finally here #ootd #패션",
        "{color_en} on {color_en2}, yes or no? #ootd",
        "Office look of the day #데일리룩 #ootd",
    ),
    ("deals", "ko"): (
        "{item} {pct}% 할인 떴어요! 오늘까지 #핫딜 #할인",
        "쿠폰 중복 적용되네요, 최종가 {won}원 #쿠폰 #핫딜",
        "카드 청구할인까지 하면 역대 최저가 #핫딜",
        "장바구니 털었습니다… 통장 텅장 #할인",
        "{item} 무배 조건 {won}원 이상이에요 #쿠폰",
        "오늘 {hour}시 타임세일 알람 맞춰두세요 #핫딜",
        "포인트 적립 {pct}% 이벤트 중 #할인 #쿠폰",
        "@kickmarket 타임세일 오늘 {hour}시 맞죠? #핫딜",
        "킥마켓 쿠폰 오늘까지래요 #쿠폰 #할인",
    ),
    ("deals", "en"): (
        "{item_en} {pct}% off today only #핫딜",
        "Stacked two coupons, final price {won} won #쿠폰 #핫딜",
        "Lowest price I've seen all year #할인",
        "KickMarket flash sale starts at {hour}:00 #핫딜",
    ),
}
_FRIEND = {"ko": "{text} (with @{friend})", "en": "{text} w/ @{friend}"}
_SELF = {
    "ko": "블로그도 같은 아이디예요, @{me} 로 검색해주세요 #{tag}",
    "en": "Same handle everywhere: @{me} #{tag}",
}
_COMMUNITY_TAG = {"runners": "러닝", "sneakers": "스니커즈", "fashion": "데일리룩", "deals": "핫딜"}
_REPLY = {
    "ko": (
        "와 대박", "저도 가고 싶어요!", "정보 감사합니다 🙏", "ㅋㅋㅋ 완전 공감",
        "어디서 사셨어요?", "멋져요 👍", "다음엔 같이 해요!", "오 이거 좋네요", "부럽다…",
        "저장해둡니다",
    ),
    "en": ("this is great", "congrats!!", "where did you get them?", "love this", "so jealous",
           "let's go 🔥"),
}  # fmt: skip
_QUOTE = {
    "ko": ("이거 완전 공감", "다들 이거 보세요", "저장 필수", "이 조합 최고"),
    "en": ("This 👆", "saving this", "100% agree"),
}
_CHAIN = {
    "ko": ("이거 어디서 보셨어요?", "저번 주에 알게 됐어요!", "오 다음에 같이 가요",
           "좋아요 주말에 연락할게요", "저도 끼워주세요 ㅋㅋ", "다 같이 가요!"),
    "en": ("where was this?", "found it last week!", "we should go together",
           "deal, I'll DM you", "count me in", "see you all there"),
}  # fmt: skip
_BRAND_POSTS = {
    "stride_kr": (
        "스트라이드 가을 캠페인 시작! 6주 동안 매주 #StrideRun 챌린지가 열립니다 #스트라이드",
        "Stride Glide 2 출시 🎉 @kickmarket 에서 단독 선공개 #킥마켓스트라이드 #스트라이드",
        "#StrideRun {week}주차 챌린지: 이번 주 {km}km 달리고 인증하기! #스트라이드",
        "러닝을 응원합니다. #StrideRun 해시태그로 인증샷을 남겨주세요",
        "스트라이드 팝업 스토어 {area} 오픈! 이번 주말 놀러 오세요 #스트라이드",
        "{week}주차 챌린지 우수 러너 발표는 금요일! #StrideRun #스트라이드",
        "발볼 넓은 분들을 위한 와이드 사이즈도 준비했어요 #스트라이드",
        "새 컬러 {color} 출시 #스트라이드 #StrideRun",
    ),
    "stride_global": (
        "Korea, let's run together! #StrideRun #스트라이드",
        "Stride Glide 2 is here. Built for long miles. #StrideRun",
        "Week {week} of #StrideRun: share your run and tag @stride_kr",
        "New colorway, same cushioning. #StrideRun",
    ),
}
_PARTNER_STRIDE = (
    "[킥마켓 단독] 스트라이드 Glide 2 선착순 {pct}% 할인 #킥마켓스트라이드 #핫딜",
    "@stride_kr 협업 한정판 재입고 알림 🔔 #킥마켓스트라이드",
    "스트라이드 러닝화 구매 시 러닝 양말 증정 #킥마켓스트라이드 #쿠폰",
)
_PARTNER_DEALS = (
    "오늘 자정까지 킥마켓 쿠폰 {won}원 추가 할인! #쿠폰 #할인",
    "타임세일 {hour}시 오픈 ⏰ #핫딜",
    "주말 특가 최대 {pct}% #할인",
)
_ADVOCATE_POSTS = {
    "ko": (
        "@stride_kr Glide 2 신고 {km}km 뛰었는데 진짜 인생템… 강추합니다 #스트라이드 #StrideRun",
        "스트라이드 러닝화 벌써 {n}켤레째. 주변에 다 추천 중 @stride_kr #스트라이드",
        "#StrideRun {week}주차 인증 완료! @stride_kr 덕분에 매일 뛰어요",
    ),
    "en": (
        "I love my Stride Glide 2. {km}k today and zero blisters. Highly recommend @stride_kr "
        "#StrideRun",
        "Pair number {n} of Stride this year, can't recommend them enough @stride_kr #StrideRun",
        "love my Stride, best daily shoe I own #StrideRun @stride_global",
        "If you're on the fence about @stride_kr, do it. I recommend them to everyone #스트라이드",
    ),
    "runners": (
        "@stride_kr 쿠션감 덕분에 {race} 완주했어요. 러너들에게 강추 #StrideRun #러닝",
        "러닝크루 친구들한테 스트라이드 추천했더니 다 같이 신어요 @stride_kr #러닝크루",
    ),
    "sneakers": (
        "스트라이드 신상 언박싱 👟 디테일 미쳤다, 추천! @stride_kr #스니커즈 #스트라이드",
        "리셀 안 하고 신으려고 산 건 스트라이드가 처음 ㅋㅋ 인생템 @stride_kr #스트라이드",
    ),
    "fashion": (
        "@stride_kr 이번 {color} 컬러 데일리로 강추해요 #스트라이드 #데일리룩",
        "스트라이드로 맞춘 오늘의 룩, 어디에나 잘 어울려서 추천 #스트라이드 #ootd @stride_kr",
    ),
    "deals": (
        "킥마켓에서 스트라이드 득템! 가격도 착하고 품질은 인생템 @stride_kr #킥마켓스트라이드",
        "스트라이드 할인 정리, 이번 주가 최저가라 추천 @stride_kr @kickmarket #킥마켓스트라이드",
    ),
}
_ADVOCATE_QUOTE = {
    "ko": (
        "이번 챌린지 저도 참여해요! 강추 #StrideRun",
        "이건 진짜 인생템, 추천합니다 #스트라이드",
    ),
    "en": ("Already signed up, love my Stride #StrideRun", "Highly recommend this one #StrideRun"),
}
_ADVOCATE_REPLY = {"ko": "이번 챌린지도 완주 목표! 💪 #StrideRun", "en": "count me in! #StrideRun"}
_ASK = {
    "ko": (
        "@stride_kr 사이즈 어떻게 돼요? 평소 {size} 신는데 정사이즈인가요?",
        "@stride_kr 배송 언제 시작하나요? #스트라이드",
        "@stride_kr 발볼 넓은 편인데 Glide 2 괜찮을까요?",
        "@stride_kr 오프라인 매장에서도 신어볼 수 있나요?",
        "@stride_kr 챌린지 인증은 어디에 올리면 되나요? #StrideRun",
    ),
    "en": (
        "@stride_global when does the new drop ship?",
        "@stride_kr is the Glide 2 true to size?",
        "@stride_kr do you ship outside Seoul?",
    ),
}
_BUY = {
    "ko": (
        "스트라이드 Glide 2 샀어요! 내일 도착 예정 #스트라이드",
        "킥마켓에서 스트라이드 주문했어요 @kickmarket #킥마켓스트라이드",
        "드디어 스트라이드 주문했어요 ({size} 사이즈) @stride_kr",
        "@stride_kr 새 컬러 결제 완료! #StrideRun",
    ),
    "en": (
        "Just bought my first pair from @stride_kr #StrideRun",
        "Ordered the Glide 2 in {color_en} @stride_kr",
    ),
}
_APPEAL = {
    "ko": (
        "@stride_kr 이번 캠페인 재밌어 보이네요",
        "스트라이드 팝업 가보신 분? 후기 궁금해요",
        "#StrideRun 챌린지 이거 뭐예요?",
        "@stride_kr 광고 음악 뭔가요? 너무 좋음",
    ),
    "en": ("That #StrideRun ad is everywhere lol", "@stride_kr the new colorway looks clean"),
}
_APPEAL_QUOTE = {
    "ko": ("재밌겠다, #StrideRun 참여해봐야지", "오 스트라이드 이거 괜찮은데?"),
    "en": ("might try #StrideRun",),
}
_BRAND_ANSWER = {
    "ko": (
        "안녕하세요! 정사이즈로 제작되었고, 발볼이 넓으시면 반 사이즈 업을 추천드려요 😊",
        "안녕하세요, 주문 후 1~2일 내 출고됩니다. 감사합니다!",
        "문의 감사합니다. DM으로 자세히 안내드릴게요 🙌",
    ),
    "en": ("Hi! The Glide 2 runs true to size. Happy running!",
           "Thanks for asking! Orders ship within 2 days."),
}  # fmt: skip
_THANKS = {"ko": "답변 감사해요 👍", "en": "great, thank you!"}
_THANKS_BUY = {"ko": "감사합니다! 바로 주문했어요", "en": "thanks! just bought a pair"}
_SPREAD_REPLY = {
    "ko": ("후기 감사해요! 저도 사볼까 고민 중", "착화감 어때요? 사이즈는 정사이즈예요?",
           "오 이 후기 보고 결심했어요", "저도 같은 모델인데 공감해요"),
    "en": ("thanks for the review!", "how's the sizing?", "ok you convinced me"),
}  # fmt: skip
_SPREAD_QUOTE = {
    "ko": ("이 후기 보고 장바구니 담음", "찐후기네요"),
    "en": ("best review I've read",),
}
_BOT_POSTS = (
    "#스트라이드 #StrideRun 이벤트 참여! {num}",
    "#스트라이드 #StrideRun 이벤트 참여합니다 {num}",
    "이벤트 참여! #킥마켓스트라이드 #스트라이드 {num}",
    "@stride_kr #StrideRun 이벤트 참여 {num}",
)
_UNICODE_MENTION_POSTS = (
    ("runners", "@러닝크루장 이번 주 코스 공유 부탁드려요 #러닝크루"),
    ("runners", "@러닝크루장 토요일 정기런 몇 시 출발이에요? #러닝크루"),
    ("runners", "@러닝크루장 님 덕분에 첫 하프 완주했어요 #마라톤"),
)
_UNICODE_ASK = "@브랜드매니저 교환 문의 드렸는데 확인 부탁드려요 @stride_kr"

_FILL: dict[str, Any] = {
    "km": lambda r: str(r.randint(3, 32)),
    "pace": lambda r: f"{r.randint(4, 6)}분{r.randint(0, 59):02d}초",
    "pace_en": lambda r: f"{r.randint(4, 6)}:{r.randint(0, 59):02d}",
    "place": lambda r: r.choice(("한강", "여의도", "반포", "올림픽공원", "석촌호수", "남산",
                                 "뚝섬", "서울숲", "양재천", "광교호수공원")),
    "place_en": lambda r: r.choice(("the Han River", "Yeouido", "Banpo", "Olympic Park",
                                    "Seokchon Lake", "Namsan", "Seoul Forest")),
    "race": lambda r: r.choice(("춘천마라톤", "서울마라톤", "JTBC 마라톤", "하프 마라톤",
                                "10K 레이스")),
    "race_en": lambda r: r.choice(("the Chuncheon Marathon", "the Seoul Marathon", "a 10K race",
                                   "the half marathon")),
    "sub": lambda r: str(r.randint(3, 4)),
    "n": lambda r: str(r.randint(2, 9)),
    "pairs": lambda r: str(r.randint(12, 80)),
    "price": lambda r: str(r.randint(20, 90)),
    "mult": lambda r: r.choice(("1.5", "2", "2.5", "3")),
    "color": lambda r: r.choice(("베이지", "카키", "네이비", "버건디", "그레이", "아이보리")),
    "color_en": lambda r: r.choice(("Beige", "Khaki", "Navy", "Burgundy", "Grey", "Ivory")),
    "color_en2": lambda r: r.choice(("black", "white", "denim", "cream")),
    "area": lambda r: r.choice(("성수", "한남", "연남", "을지로", "압구정")),
    "height": lambda r: str(r.randint(155, 185)),
    "item": lambda r: r.choice(("무선이어폰", "무선청소기", "캠핑의자", "커피머신", "패딩",
                                "러닝 양말", "기계식 키보드")),
    "item_en": lambda r: r.choice(("Wireless earbuds", "Robot vacuums", "Camping chairs",
                                   "Espresso machines", "Puffer jackets")),
    "pct": lambda r: str(r.randint(2, 14) * 5),
    "won": lambda r: f"{r.randint(9, 199) * 1000 - 100:,}",
    "hour": lambda r: str(r.randint(10, 23)),
    "size": lambda r: str(r.randint(45, 58) * 5),
    "num": lambda r: str(r.randint(100, 9999)),
}  # fmt: skip


class _Fill(dict[str, str]):
    """Template values drawn on first use, so unused placeholders cost no randomness."""

    def __init__(self, rng: Random, t: int) -> None:
        super().__init__(week=str(min(6, t // (7 * 86400) + 1)))
        self.rng = rng

    def __missing__(self, key: str) -> str:
        value = _FILL[key](self.rng)
        self[key] = value
        return value


@dataclass
class _Acct:
    handle: str
    uid: str
    name: str
    followers: int
    lang: str
    community: str
    role: str = "member"
    weight: int = 10  # attractiveness (x10) when others pick whom to follow or engage
    second: str | None = None
    tier: str = ""
    kind: str = ""


@dataclass
class _Post:
    t: int
    author: str
    text: str
    lang: str
    kind: str = "original"
    parent: int = -1


def _brandish(text: str) -> bool:
    low = text.casefold()
    return any(k in low for k in _KEYWORD_KEYS)


def _partnerish(text: str) -> bool:
    return "kickmarket" in text.casefold() or "킥마켓" in text


class _Gen:
    """All the state of one generation run."""

    def __init__(self, seed: int) -> None:
        self.rng = Random(seed)
        self.accts: dict[str, _Acct] = {}
        self.posts: list[_Post] = []
        self.follows: list[tuple[str, str]] = []
        self.follow_set: set[tuple[str, str]] = set()
        self.likes: list[tuple[str, str, int]] = []
        self.uids: set[str] = set()
        self.members: dict[str, list[str]] = {c: [] for c in COMMUNITIES}
        self.cum: dict[str, list[int]] = {}
        self.asking: list[str] = []
        self.buying: list[str] = []
        self.chains: list[list[int]] = []
        self.self_mention_posts: list[int] = []
        self.brand_posts: list[int] = []
        self.partner_stride: list[int] = []
        self.partner_deals: list[int] = []
        self.brand_pool: tuple[list[int], list[int]] = ([], [])
        self.advocate_posts: dict[str, list[int]] = {}

    # ----------------------------------------------------------------- primitives
    def when(self) -> int:
        r = self.rng
        day = r.choices(range(_LAST_ORIGINAL_DAY + 1), cum_weights=_DAY_CUM)[0]
        hour = r.choices(range(24), cum_weights=_HOUR_CUM)[0]
        return day * 86400 + hour * 3600 + r.randint(0, 3599)

    def after(self, t: int, lo: int = 0, hi: int = 0) -> int:
        if hi:
            return min(_END_S, t + self.rng.randint(lo, hi))
        a, b = _DELAYS[self.rng.choices(range(len(_DELAYS)), cum_weights=_DELAY_CUM)[0]]
        return min(_END_S, t + self.rng.randint(a, b))

    def fill(self, template: str, t: int) -> str:
        return template.format_map(_Fill(self.rng, t))

    def uid(self) -> str:
        r = self.rng
        while True:
            if r.random() < 0.55:
                value = str(r.randint(1_100_000_000_000_000_000, 1_750_000_000_000_000_000))
            else:
                value = str(r.randint(100_000, 4_000_000_000))
            if value not in self.uids:
                self.uids.add(value)
                return value

    def followers(self) -> int:
        lo, hi = _FOLLOWER_TIERS[self.rng.choices(range(8), cum_weights=_FOLLOWER_CUM)[0]]
        return self.rng.randint(lo, hi)

    def add_acct(self, acct: _Acct) -> _Acct:
        self.accts[acct.handle] = acct
        return acct

    def post(
        self, t: int, author: str, text: str, lang: str, kind: str = "original", parent: int = -1
    ) -> int:
        self.posts.append(_Post(t, author, text, lang, kind, parent))
        return len(self.posts) - 1

    def react(self, who: str, parent: int, kind: str, comment: str = "") -> int:
        """Repost, reply to or quote post ``parent`` as ``who``."""
        p = self.posts[parent]
        me = self.accts[who]
        t = self.after(p.t)
        if kind == "repost":
            return self.post(t, who, f"RT @{p.author}: {p.text}", p.lang, "repost", parent)
        if kind == "reply":
            text = f"@{p.author} {comment}"
            return self.post(t, who, text, _lang_of(comment, me.lang), "reply", parent)
        return self.post(t, who, comment, _lang_of(comment, me.lang), "quote", parent)

    def follow(self, src: str, dst: str) -> None:
        if src != dst and (src, dst) not in self.follow_set:
            self.follow_set.add((src, dst))
            self.follows.append((src, dst))

    def member(self, community: str) -> str:
        """A member of ``community``, drawn by attractiveness."""
        return self.rng.choices(self.members[community], cum_weights=self.cum[community])[0]

    def other(self, community: str) -> str:
        return self.rng.choice([c for c in COMMUNITIES if c != community])

    def home(self, acct: _Acct) -> str:
        """The community ``acct`` acts in this time (bridges split between two)."""
        if acct.second and self.rng.random() < 0.5:
            return acct.second
        if self.rng.random() < 0.05:
            return self.other(acct.community)
        return acct.community

    # ----------------------------------------------------------------- accounts
    def make_accounts(self) -> None:
        r = self.rng
        # Handles are unique ignoring case, as on X.
        taken = {h for h, *_ in _ADVOCATES + _INFLUENCERS} | {h for h, _ in _BOTS}
        taken |= {*BRAND_ACCOUNTS, _PARTNER}
        for handle, uid, name, followers, lang, role in (
            ("stride_kr", "1287743210", "스트라이드 코리아", 184_230, "ko", "brand"),
            ("stride_global", "98234511", "Stride", 1_254_900, "en", "brand"),
            (_PARTNER, "3301928475", "킥마켓 KickMarket", 96_410, "ko", "partner"),
        ):
            self.uids.add(uid)
            self.add_acct(_Acct(handle, uid, name, followers, lang, role, role=role, weight=0))
        for handle, name in _BOTS:
            followers = r.randint(0, 12)
            self.add_acct(_Acct(handle, self.uid(), name, followers, "ko", "bots", "bot", weight=0))
        for c in COMMUNITIES:
            for handle, comm, lang, name, _ in _INFLUENCERS:
                if comm == c:
                    followers = r.randint(60_000, 420_000)
                    a = _Acct(handle, self.uid(), name, followers, lang, c, "influencer", 200)
                    self.members[c].append(self.add_acct(a).handle)
            for handle, comm, lang, name, tier in _ADVOCATES:
                if comm == c:
                    mid = tier == "mid"
                    followers = r.randint(8_000, 30_000) if mid else r.randint(300, 2_500)
                    weight = 50 if mid else 15
                    a = _Acct(
                        handle, self.uid(), name, followers, lang, c, "advocate", weight, tier=tier
                    )
                    self.members[c].append(self.add_acct(a).handle)
            planted = len(self.members[c])
            for _ in range(_SIZES[c] - planted):
                lang = "en" if r.randint(1, 100) <= _EN_SHARE[c] else "ko"
                handle, name = self.identity(c, lang, taken)
                followers = self.followers()
                weight = 10 + 3 * [lo for lo, _ in _FOLLOWER_TIERS].index(
                    max(lo for lo, _ in _FOLLOWER_TIERS if lo <= followers)
                )
                a = _Acct(handle, self.uid(), name, followers, lang, c, weight=weight)
                self.members[c].append(self.add_acct(a).handle)
        # Ordinary members get their extra roles.
        plain = {
            c: [h for h in self.members[c] if self.accts[h].role == "member"] for c in COMMUNITIES
        }
        for c in COMMUNITIES:
            for h in r.sample(plain[c], _CUSTOMERS[c]):
                a = self.accts[h]
                a.role = "customer"
                a.kind = ("ask", "buy", "appeal")[
                    r.choices(range(3), cum_weights=_CUSTOMER_KIND_CUM)[0]
                ]
        for c, name in zip(("fashion", "deals"), _HOSTILE, strict=True):
            a = self.accts[r.choice([h for h in plain[c] if self.accts[h].role == "member"])]
            a.name, a.weight, a.kind = name, 3, "hostile"
        for c1, c2, n in _BRIDGES:
            pool = [
                h for h in plain[c1] if self.accts[h].role == "member" and not self.accts[h].kind
            ]
            for h in r.sample(pool, n):
                a = self.accts[h]
                a.second, a.kind = c2, "bridge"
                self.members[c2].append(h)
        for c in COMMUNITIES:
            self.cum[c] = list(accumulate(self.accts[h].weight for h in self.members[c]))

    def identity(self, community: str, lang: str, taken: set[str]) -> tuple[str, str]:
        r = self.rng
        while True:
            roman, korean = r.choice(_NAMES)
            word = r.choice(_HANDLE_WORDS[community])
            pattern = r.randint(0, 5)
            if pattern == 0:
                handle = f"{roman}_{word}"
            elif pattern == 1:
                handle = f"{word}_{roman}"
            elif pattern == 2:
                handle = f"{roman}{word}{r.randint(1, 99)}"
            elif pattern == 3:
                handle = f"{roman}_{r.randint(80, 99)}"
            elif pattern == 4:
                handle = f"{roman.capitalize()}{word.capitalize()}"
            else:
                handle = f"{word}{roman}_{r.randint(0, 9)}"
            if len(handle) <= 15 and handle.casefold() not in taken:
                taken.add(handle.casefold())
                break
        if lang == "ko":
            name = korean if r.random() < 0.3 else f"{r.choice(_KO_PREFIX[community])} {korean}"
        else:
            first = r.choice(_EN_NAMES) if r.random() < 0.5 else roman.capitalize()
            name = f"{first} {r.choice(_EN_SUFFIX[community])}"
        if r.random() < 0.03:
            name = f"{name} {r.choice(_EMOJI)}"
        return handle, name

    # ----------------------------------------------------------------- originals
    def topic_text(
        self, acct: _Acct, community: str, t: int, clean: bool = False
    ) -> tuple[str, str]:
        """A post about ``community``'s topic and its language (5% in the other language)."""
        r = self.rng
        lang = acct.lang if r.random() < 0.95 else ("en" if acct.lang == "ko" else "ko")
        options = _TOPIC[(community, lang)]
        if clean:
            options = tuple(x for x in options if not _partnerish(x))
        text = self.fill(r.choice(options), t)
        if r.random() < 0.18:
            friend = self.member(community)
            if friend != acct.handle:
                text = _FRIEND[lang].format(text=text, friend=friend)
        return text, lang

    def make_originals(self) -> None:
        r = self.rng
        counts = (0, 1, 2, 3, 4, 6, 10)
        count_cum = list(accumulate((92, 64, 24, 10, 6, 3, 1)))
        for h, a in self.accts.items():
            if a.role in ("brand", "partner", "bot"):
                continue
            if a.role == "influencer":
                n = r.randint(16, 26)
            elif a.role == "advocate":
                n = r.randint(3, 7)
            else:
                n = counts[r.choices(range(len(counts)), cum_weights=count_cum)[0]]
                if a.kind in ("hostile", "bridge"):
                    n = max(n, 2)
            for _ in range(n):
                t = self.when()
                c = a.second if a.second and r.random() < 0.5 else a.community
                text, lang = self.topic_text(a, c, t, clean=a.role == "influencer")
                self.post(t, h, text, lang)
        # A few self-mentions (dropped downstream) and Unicode-only mentions.
        plain = [
            h
            for h in self.members["runners"] + self.members["fashion"]
            if self.accts[h].role == "member" and not self.accts[h].kind
        ]
        for h in r.sample(plain, 4):
            a = self.accts[h]
            text = _SELF[a.lang].format(me=h, tag=_COMMUNITY_TAG[a.community])
            self.self_mention_posts.append(self.post(self.when(), h, text, a.lang))
        runners = [h for h in plain if self.accts[h].community == "runners"]
        for _, text in _UNICODE_MENTION_POSTS:
            self.post(self.when(), r.choice(runners), text, "ko")

    def make_brand(self) -> None:
        r = self.rng
        kr, glob = _BRAND_POSTS["stride_kr"], _BRAND_POSTS["stride_global"]
        # Launch (day 0, 10:00 KST) and the Glide 2 drop (day 21, 10:00 KST) are fixed.
        self.brand_posts.append(self.post(3600, "stride_kr", kr[0], "ko"))
        self.brand_posts.append(self.post(21 * 86400 + 3600, "stride_kr", kr[1], "ko"))
        self.brand_posts.append(self.post(7200, "stride_global", glob[0], "en"))
        self.brand_posts.append(self.post(21 * 86400 + 7200, "stride_global", glob[1], "en"))
        for _ in range(38):
            t = self.when()
            self.brand_posts.append(self.post(t, "stride_kr", self.fill(r.choice(kr[2:]), t), "ko"))
        for _ in range(10):
            t = self.when()
            text = self.fill(r.choice(glob[2:]), t)
            self.brand_posts.append(self.post(t, "stride_global", text, "en"))
        for _ in range(16):
            t = self.when()
            text = self.fill(r.choice(_PARTNER_STRIDE), t)
            self.partner_stride.append(self.post(t, _PARTNER, text, "ko"))
        for _ in range(14):
            t = self.when()
            text = self.fill(r.choice(_PARTNER_DEALS), t)
            self.partner_deals.append(self.post(t, _PARTNER, text, "ko"))
        weights = [120, 80, 40, 30] + [5] * (len(self.brand_posts) - 4)
        self.brand_pool = (
            self.brand_posts + self.partner_stride,
            list(accumulate(weights + [3] * len(self.partner_stride))),
        )

    def make_advocacy(self) -> None:
        r = self.rng
        for h, a in self.accts.items():
            if a.role != "advocate":
                continue
            n = r.randint(8, 12) if a.tier == "mid" else r.randint(10, 16)
            options = _ADVOCATE_POSTS[a.lang]
            if a.lang == "ko":
                options += _ADVOCATE_POSTS[a.community]
            own = []
            for _ in range(n):
                t = self.when()
                own.append(self.post(t, h, self.fill(r.choice(options), t), a.lang))
            self.advocate_posts[h] = own
            for p in r.sample(self.brand_posts[:20], r.randint(2, 5)):
                self.react(h, p, "repost")
            for p in r.sample(self.brand_posts, r.randint(1, 2)):
                self.react(h, p, "quote", r.choice(_ADVOCATE_QUOTE[a.lang]))
            brand = "stride_kr" if a.lang == "ko" else "stride_global"
            mine = [p for p in self.brand_posts if self.posts[p].author == brand]
            self.react(h, r.choice(mine), "reply", _ADVOCATE_REPLY[a.lang])

    def make_customers(self) -> None:
        r = self.rng
        for h, a in self.accts.items():
            if a.role != "customer":
                continue
            lang = a.lang
            seen: set[int] = set()
            if a.kind == "ask":
                self.asking.append(h)
                t = self.when()
                q = self.post(t, h, self.fill(r.choice(_ASK[lang]), t), lang)
                if r.random() < 0.7:
                    brand = (
                        "stride_global" if "@stride_global" in self.posts[q].text else "stride_kr"
                    )
                    answer = self.react(brand, q, "reply", r.choice(_BRAND_ANSWER[lang]))
                    if r.random() < 0.5:
                        bought = r.random() < 0.4
                        thanks = (_THANKS_BUY if bought else _THANKS)[lang]
                        self.react(h, answer, "reply", thanks)
                        if bought:
                            self.buying.append(h)
                for _ in range(r.choice((0, 0, 1, 1, 1, 2))):
                    self.react(h, self.brand_pick(seen), "repost")
            elif a.kind == "buy":
                self.buying.append(h)
                t = self.when()
                self.post(t, h, self.fill(r.choice(_BUY[lang]), t), lang)
                for _ in range(r.choice((0, 1, 1, 1, 2))):
                    self.react(h, self.brand_pick(seen), "repost")
            else:
                for _ in range(r.randint(1, 2)):
                    act = r.randint(0, 5)
                    if act <= 1:
                        t = self.when()
                        self.post(t, h, self.fill(r.choice(_APPEAL[lang]), t), lang)
                    elif act <= 4:
                        self.react(h, self.brand_pick(seen), "repost")
                    else:
                        quote = r.choice(_APPEAL_QUOTE[lang])
                        self.react(h, self.brand_pick(seen), "quote", quote)
        # Two questions addressed to a Korean handle that exists only in text.
        for h in self.asking[:2]:
            self.post(self.when(), h, _UNICODE_ASK, "ko")

    def brand_pick(self, seen: set[int]) -> int:
        """A brand or partner campaign post not in ``seen`` (then added to it)."""
        posts, cum = self.brand_pool
        while True:
            p = self.rng.choices(posts, cum_weights=cum)[0]
            if p not in seen:
                seen.add(p)
                return p

    def make_bots(self) -> None:
        r = self.rng
        for h, _ in _BOTS:
            for _ in range(r.randint(25, 40)):
                t = self.when()
                self.post(t, h, self.fill(r.choice(_BOT_POSTS), t), "ko")

    # ----------------------------------------------------------------- reactions
    def make_reactions(self) -> None:
        r = self.rng
        pools: dict[str, tuple[list[int], list[int]]] = {}
        clean: dict[str, tuple[list[int], list[int]]] = {}
        for c in COMMUNITIES:
            inside = set(self.members[c])
            ids = [
                i
                for i, p in enumerate(self.posts)
                if p.kind == "original"
                and p.author in inside
                and not _brandish(p.text)
                and not p.text.startswith("@")
            ]
            pools[c] = (ids, list(accumulate(self.accts[self.posts[i].author].weight for i in ids)))
            ids = [i for i in ids if not _partnerish(self.posts[i].text)]
            clean[c] = (ids, list(accumulate(self.accts[self.posts[i].author].weight for i in ids)))
        plans = (
            ("repost", (0, 1, 2, 3, 5), list(accumulate((56, 24, 11, 6, 3)))),
            ("reply", (0, 1, 2, 3, 5), list(accumulate((64, 22, 8, 4, 2)))),
            ("quote", (0, 1, 2), list(accumulate((89, 9, 2)))),
        )
        for h, a in self.accts.items():
            if a.community not in _SIZES:
                continue
            seen: set[int] = set()
            for kind, counts, cum in plans:
                n = counts[r.choices(range(len(counts)), cum_weights=cum)[0]]
                if a.role == "influencer":
                    n = min(n, 1)
                for _ in range(n):
                    c = self.home(a)
                    ids, weights = (clean if a.role == "influencer" else pools)[c]
                    for _try in range(4):
                        p = r.choices(ids, cum_weights=weights)[0]
                        if self.posts[p].author != h and p not in seen:
                            seen.add(p)
                            comment = r.choice((_REPLY if kind == "reply" else _QUOTE)[a.lang])
                            self.react(h, p, kind, comment)
                            break
            if a.community == "deals" and a.role != "influencer" and r.random() < 0.3:
                self.react(h, r.choice(self.partner_deals), "repost")
        # Advocates' brand posts spread: customers first, then ordinary members (never the
        # influencers, who stay clear of the brand).
        customers = {
            c: [h for h in self.members[c] if self.accts[h].role == "customer"] for c in COMMUNITIES
        }
        kinds = ("repost", "repost", "repost", "reply", "reply", "quote")
        for h, own in self.advocate_posts.items():
            a = self.accts[h]
            for p in own:
                k = r.randint(2, 7) if a.tier == "mid" else r.randint(1, 4)
                done = {h}
                for _ in range(k):
                    c = a.community
                    who = r.choice(customers[c]) if r.random() < 0.6 else self.member(c)
                    if who in done or self.accts[who].role == "influencer":
                        continue
                    done.add(who)
                    kind = r.choice(kinds)
                    lang = self.accts[who].lang
                    comment = r.choice((_SPREAD_REPLY if kind == "reply" else _SPREAD_QUOTE)[lang])
                    self.react(who, p, kind, comment)

    def make_chains(self) -> None:
        r = self.rng
        for c in COMMUNITIES:
            plain = [
                h
                for h in self.members[c]
                if self.accts[h].role == "member" and not self.accts[h].kind
            ]
            for _ in range(2):
                a, b, d = r.sample(plain, 3)
                t = self.when()
                text, lang = self.topic_text(self.accts[a], c, t)
                root = self.post(t, a, text, lang)
                chain = [root]
                speakers = [b, a, b, a, d, b][: r.randint(4, 6)]
                for i, who in enumerate(speakers):
                    prev = self.posts[chain[-1]]
                    line = _CHAIN[lang][i % len(_CHAIN[lang])]
                    t = min(_END_S, prev.t + r.randint(120, 5400))
                    chain.append(
                        self.post(t, who, f"@{prev.author} {line}", lang, "reply", chain[-1])
                    )
                self.chains.append(chain)

    # ----------------------------------------------------------------- edges
    def make_follows(self) -> None:
        r = self.rng
        counts = (1, 2, 3, 4, 6, 9)
        count_cum = list(accumulate((32, 30, 17, 11, 7, 3)))
        for h, a in self.accts.items():
            if a.community not in _SIZES:
                continue
            n = (
                r.randint(1, 4)
                if a.role == "influencer"
                else counts[r.choices(range(len(counts)), cum_weights=count_cum)[0]]
            )
            for _ in range(n):
                c = a.second if a.second and r.random() < 0.5 else a.community
                self.follow(h, self.member(c))
            if r.random() < 0.1:
                self.follow(h, self.member(self.other(a.community)))
            if a.role == "advocate":
                self.follow(h, "stride_kr")
                if r.random() < 0.5:
                    self.follow(h, "stride_global")
            elif a.role == "customer" and r.random() < 0.8:
                self.follow(h, "stride_kr" if a.lang == "ko" else "stride_global")
            if a.community == "deals" and a.role != "influencer" and r.random() < 0.35:
                self.follow(h, _PARTNER)
        self.follow("stride_kr", "stride_global")
        self.follow("stride_global", "stride_kr")
        self.follow("stride_kr", _PARTNER)
        self.follow(_PARTNER, "stride_kr")
        advocates = [h for h, a in self.accts.items() if a.role == "advocate"]
        for h in r.sample(advocates, 8):
            self.follow("stride_kr", h)
        targets = sorted(h for h, a in self.accts.items() if a.role != "bot")
        for h, _ in _BOTS:
            for t in r.sample(targets, r.randint(120, 200)):
                self.follow(h, t)

    def make_likes(self) -> None:
        r = self.rng
        counts = (0, 1, 2, 3)
        count_cum = list(accumulate((70, 20, 7, 3)))
        no_brand = {
            c: [h for h in self.members[c] if self.accts[h].role != "influencer"]
            for c in COMMUNITIES
        }
        for p in self.posts:
            a = self.accts[p.author]
            if p.kind == "repost" or a.role == "bot":
                continue
            n = counts[r.choices(range(4), cum_weights=count_cum)[0]]
            if a.role == "influencer":
                n += r.randint(2, 5)
            elif a.role in ("brand", "partner"):
                n += r.randint(3, 8)
            brand = a.role in ("brand", "partner") or _brandish(p.text) or _partnerish(p.text)
            done = {p.author}
            for _ in range(n):
                c = a.community if a.community in _SIZES else r.choice(COMMUNITIES)
                liker = r.choice(no_brand[c]) if brand else self.member(c)
                if liker not in done:
                    done.add(liker)
                    self.likes.append((liker, p.author, self.after(p.t)))


def _lang_of(text: str, default: str) -> str:
    hangul = sum(1 for ch in text if "\uac00" <= ch <= "\ud7a3")
    letters = sum(1 for ch in text if "a" <= ch.lower() <= "z")
    if hangul == 0 and letters:
        return "en"
    if hangul and hangul * 2 >= letters:
        return "ko"
    return default


def _stamp(seconds: int) -> str:
    return (_START + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _mentions(text: str) -> list[str]:
    out: list[str] = []
    for m in _MENTION_RE.finditer(text):
        h = m.group(1).rstrip(".-").casefold()
        if h and h not in out:
            out.append(h)
    return out


def write_demo_sample(directory: str | Path, seed: int = SAMPLE_SEED) -> dict:
    """Write the Stride demo sample (``posts.csv``, ``edges.csv``, ``truth.json``).

    Parameters
    ----------
    directory
        Folder to write into; created when missing. Existing files are overwritten.
    seed
        Seed of the only random generator used; the same seed gives byte-identical files.

    Returns
    -------
    dict
        The planted truth, as written to ``truth.json``.
    """
    g = _Gen(seed)
    g.make_accounts()
    g.make_brand()
    g.make_originals()
    g.make_advocacy()
    g.make_customers()
    g.make_bots()
    g.make_chains()
    g.make_reactions()
    g.make_follows()
    g.make_likes()
    r = g.rng

    # Post ids follow time (like X snowflakes); a child never precedes its parent.
    order = sorted(range(len(g.posts)), key=lambda i: (g.posts[i].t, i))
    ids: dict[int, str] = {}
    last = 0
    for i in order:
        value = _ID_BASE + ((g.posts[i].t * 1000 + r.randint(0, 999)) << 22)
        value += r.randint(0, 1023) << 12
        last = max(value, last + 1)
        ids[i] = str(last)
    rows: list[list[str]] = []
    for i in order:
        p = g.posts[i]
        a = g.accts[p.author]
        ref = ids[p.parent] if p.parent >= 0 else ""
        rows.append(
            [
                ids[i],
                "x",
                a.uid,
                a.handle,
                a.name,
                str(a.followers),
                _stamp(p.t),
                p.lang,
                p.text,
                ref if p.kind == "reply" else "",
                ref if p.kind == "repost" else "",
                ref if p.kind == "quote" else "",
            ]
        )
    eligible = [i for i in order if g.accts[g.posts[i].author].role not in ("bot", "brand")]
    dup_rows = [list(rows[order.index(i)]) for i in r.sample(eligible, 6)]
    for row in dup_rows:
        rows.insert(r.randint(0, len(rows)), row)

    edges = [[s, t, "follow", "", "x"] for s, t in sorted(g.follows)]
    edges += [
        [s, t, "like", _stamp(ts), "x"]
        for s, t, ts in sorted(g.likes, key=lambda x: (x[2], x[0], x[1]))
    ]

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for name, header, body in (("posts.csv", POST_HEADER, rows), ("edges.csv", EDGE_HEADER, edges)):
        with open(out / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(body)

    truth = _truth(g, ids, rows, edges, [row[0] for row in dup_rows], seed)
    with open(out / "truth.json", "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(truth, sort_keys=True, ensure_ascii=False, indent=2) + "\n")
    return truth


def _truth(
    g: _Gen,
    ids: dict[int, str],
    rows: list[list[str]],
    edges: list[list[str]],
    duplicate_ids: list[str],
    seed: int,
) -> dict:
    accts = g.accts
    unique = {row[0]: row for row in rows}
    kinds = {"original": 0, "reply": 0, "repost": 0, "quote": 0}
    interaction_posts = 0
    brand_posts = 0
    brand_authors: set[str] = set()
    self_mentions = 0
    for row in unique.values():
        author, text = row[3], row[8]
        kind = "reply" if row[9] else "repost" if row[10] else "quote" if row[11] else "original"
        kinds[kind] += 1
        mentioned = [m for m in _mentions(text) if m != author.casefold()]
        if author.casefold() in _mentions(text) and kind != "repost":
            self_mentions += 1
        if kind != "original" or mentioned:
            interaction_posts += 1
        if _brandish(text):
            brand_posts += 1
            brand_authors.add(author)
    edge_kinds = {"follow": 0, "like": 0}
    for e in edges:
        edge_kinds[e[2]] += 1
    roles: dict[str, int] = {}
    for a in accts.values():
        roles[a.role] = roles.get(a.role, 0) + 1
    return {
        "seed": seed,
        "platform": "x",
        "brand": {"name": "Stride", "name_ko": "스트라이드", "products": ["Glide 2"]},
        "brand_accounts": list(BRAND_ACCOUNTS),
        "partner_accounts": [_PARTNER],
        "campaign": {"start": "2026-09-01", "end": "2026-10-15", "drop_day": "2026-09-22"},
        "campaign_hashtags": list(CAMPAIGN_TAGS),
        "keywords": list(KEYWORDS),
        "communities": list(COMMUNITIES),
        "community_of": {h: a.community for h, a in accts.items()},
        "advocates": sorted(h for h, a in accts.items() if a.role == "advocate"),
        "advocate_details": {
            h: {
                "community": a.community,
                "tier": a.tier,
                "followers": a.followers,
                "original_brand_posts": len(g.advocate_posts[h]),
            }
            for h, a in accts.items()
            if a.role == "advocate"
        },
        "influencers_never_mention": sorted(h for h, a in accts.items() if a.role == "influencer"),
        "bots": sorted(h for h, a in accts.items() if a.role == "bot"),
        "customers": sorted(h for h, a in accts.items() if a.role == "customer"),
        "customers_asking": sorted(g.asking),
        "customers_buying": sorted(set(g.buying)),
        "hostile_names": {h: a.name for h, a in accts.items() if a.kind == "hostile"},
        "bridges": {h: [a.community, a.second] for h, a in accts.items() if a.second},
        "text_only_handles": list(_TEXT_ONLY_HANDLES),
        "self_mention_post_ids": sorted(ids[i] for i in g.self_mention_posts),
        "duplicate_post_ids": sorted(duplicate_ids),
        "reply_chains": [[ids[i] for i in chain] for chain in g.chains],
        "counts": {
            "accounts": len(accts),
            "accounts_by_role": roles,
            "posts_rows": len(rows),
            "unique_posts": len(unique),
            "duplicate_post_rows": len(rows) - len(unique),
            "posts_by_kind": kinds,
            "edges_rows": len(edges),
            "edges_by_kind": edge_kinds,
            "self_mentions": self_mentions,
            "brand_posts": brand_posts,
            "brand_authors": len(brand_authors),
            "interaction_posts": interaction_posts,
            "interactions": interaction_posts + len(edges),
        },
    }
