"""The synthetic agency: households of customers with their policies, a lead pipeline,
conversations and a task list, all drawn from one seeded random generator (same seed, same
``today``: same book). Records come out with their ids so they can be bulk-loaded."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from agencydesk.domain import (
    Channel,
    Customer,
    Direction,
    Lead,
    Message,
    Note,
    Policy,
    PolicyStatus,
    RecordKind,
    Task,
    TaskKind,
    TaskStatus,
    Thread,
)
from agencydesk.services.demo import catalog
from agencydesk.services.demo.people import PeoplePool
from agencydesk.vendors.sandbox_kit import conversations


@dataclass(frozen=True, slots=True)
class BookSize:
    leads: int = 3000
    customers: int = 2000
    policies: int = 4000
    threads: int = 1500
    messages_per_thread: float = 4.0  # on average
    tasks: int = 2500
    notes: int = 2000


@dataclass(frozen=True, slots=True)
class Party:
    """Who a thread or task is about."""

    kind: RecordKind
    id: int
    name: str
    email: str
    phone: str
    producer: str


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class AgencyGenerator:
    def __init__(self, seed: int, today: date, size: BookSize, first_ids: dict[RecordKind, int]):
        self.rng = random.Random(seed)
        self.pool = PeoplePool(seed, self.rng)
        self.today = today
        # The close of ``today``'s business, but never later than the clock: a book made in the
        # morning had emails "from" this afternoon, in the future.
        close = datetime.combine(today, time(17, 0), tzinfo=UTC)
        self.now = min(close, datetime.now(UTC).replace(second=0, microsecond=0))
        self.size = size
        self.next_id = dict(first_ids)
        self.customers: list[Party] = []
        self.commercial: set[int] = set()
        self.leads: list[Party] = []
        self.households = 0
        self.household_of: dict[int, str] = {}  # customer id -> household key

    def _id(self, kind: RecordKind) -> int:
        value = self.next_id[kind]
        self.next_id[kind] = value + 1
        return value

    def _producer(self) -> str:
        return self.rng.choices(catalog.PRODUCERS, weights=(30, 25, 20, 15, 10))[0]

    def _moment(self, days_back: int) -> datetime:
        """A working-hours instant up to ``days_back`` days before the demo's "now"."""
        back = timedelta(days=self.rng.randint(0, days_back), minutes=self.rng.randint(0, 540))
        return self.now - back

    # --- customers and policies -------------------------------------------------------------
    def customer_records(self) -> Iterator[Customer]:
        rng, pool = self.rng, self.pool
        while len(self.customers) < self.size.customers:
            self.households += 1
            key = f"HH-{self.households:06d}"
            producer, address = self._producer(), pool.address()
            since = self.today - timedelta(days=rng.randint(30, 15 * 365))
            created = datetime.combine(since, time(15, 0), tzinfo=UTC)
            if rng.random() < 0.12:  # a business client: one record, commercial lines
                company = pool.company()
                record_id = self._id(RecordKind.CUSTOMER)
                self.commercial.add(record_id)
                self.household_of[record_id] = key
                email, phone = pool.business_email(company), pool.phone()
                self.customers.append(
                    Party(RecordKind.CUSTOMER, record_id, company, email, phone, producer)
                )
                yield Customer(
                    id=record_id, business_name=company, email=email, phone=phone,
                    street=address.street, city=address.city, state=address.state,
                    zip_code=address.zip_code, household=key, producer=producer,
                    customer_since=since, created_at=created, updated_at=created,
                    tags=("commercial",),
                )  # fmt: skip
                continue
            last = pool.last()
            members = rng.choices((1, 2, 3, 4), weights=(40, 35, 18, 7))[0]
            for member in range(members):
                if len(self.customers) >= self.size.customers:
                    break
                first = pool.first()
                record_id = self._id(RecordKind.CUSTOMER)
                email = pool.email(first, last) if member < 2 or rng.random() < 0.3 else ""
                phone = pool.phone() if member < 2 else ""
                age = rng.randint(16, 30) if member >= 2 else rng.randint(24, 82)
                birth = self.today - timedelta(days=age * 365 + rng.randint(0, 364))
                name = f"{first} {last}"
                self.household_of[record_id] = key
                self.customers.append(
                    Party(RecordKind.CUSTOMER, record_id, name, email, phone, producer)
                )
                yield Customer(
                    id=record_id, first_name=first, last_name=last, email=email, phone=phone,
                    street=address.street, city=address.city, state=address.state,
                    zip_code=address.zip_code, birth_date=birth, household=key,
                    producer=producer, customer_since=since, created_at=created,
                    updated_at=created,
                )  # fmt: skip

    def policy_records(self) -> Iterator[Policy]:
        rng = self.rng
        counts = [1] * len(self.customers)
        for index in rng.choices(range(len(counts)), k=max(0, self.size.policies - len(counts))):
            counts[index] += 1
        used: set[str] = set()
        for party, count in zip(self.customers, counts, strict=True):
            if party.id in self.commercial:
                lines = list(catalog.COMMERCIAL_LINES)
                rng.shuffle(lines)
            else:
                home = catalog.PERSONAL_LINES[1 if rng.random() < 0.7 else 2]
                extras = [catalog.PERSONAL_LINES[i] for i in (3, 4, 5)]
                rng.shuffle(extras)
                lines = [catalog.PERSONAL_LINES[0], home, *extras]
            for n in range(count):
                policy = self._policy(party, lines[n % len(lines)], used)
                yield policy
                if policy.status is PolicyStatus.RENEWED:
                    yield self._renewal(policy)

    def _renewal(self, expired: Policy) -> Policy:
        """The term that followed a renewed one: same number, premium moved a little."""
        assert expired.effective_date is not None
        assert expired.expiration_date is not None
        term = expired.expiration_date - expired.effective_date
        start = expired.expiration_date
        created = datetime.combine(start - timedelta(days=30), time(14, 0), tzinfo=UTC)
        premium = round(expired.premium_cents * self.rng.uniform(0.95, 1.12))
        return replace(
            expired,
            id=self._id(RecordKind.POLICY),
            premium_cents=premium,
            effective_date=start,
            expiration_date=start + term,
            status=PolicyStatus.ACTIVE,
            created_at=created,
            updated_at=created,
        )

    def _policy(self, party: Party, line: catalog.Line, used: set[str]) -> Policy:
        rng = self.rng
        term = rng.choice(line.term_months)
        expiration = self.today + timedelta(days=rng.randint(-75, 30 * term - 15))
        effective = expiration - timedelta(days=round(term * 30.4))
        if expiration < self.today:
            status = rng.choices(
                (PolicyStatus.RENEWED, PolicyStatus.EXPIRED, PolicyStatus.CANCELLED), (60, 25, 15)
            )[0]
        else:
            status = rng.choices(
                (PolicyStatus.ACTIVE, PolicyStatus.PENDING, PolicyStatus.CANCELLED), (92, 3, 5)
            )[0]
        low, high = line.premium_dollars
        premium = rng.randint(low * 100, high * 100) * term // 12
        number = f"{line.prefix}-{rng.randint(1_000_000, 9_999_999)}"
        while number in used:
            number = f"{line.prefix}-{rng.randint(1_000_000, 9_999_999)}"
        used.add(number)
        created = datetime.combine(effective, time(14, 0), tzinfo=UTC)
        return Policy(
            id=self._id(RecordKind.POLICY), customer_id=party.id, insured_name=party.name,
            policy_number=number, carrier=rng.choice(line.carriers),
            line_of_business=line.name, premium_cents=premium, effective_date=effective,
            expiration_date=expiration, status=status, producer=party.producer,
            created_at=created, updated_at=created,
        )  # fmt: skip

    # --- leads --------------------------------------------------------------------------------
    def lead_records(self) -> Iterator[Lead]:
        rng, pool = self.rng, self.pool
        stage_weights = [s[2] for s in catalog.STAGES]
        for _ in range(self.size.leads):
            stage, status, _w = rng.choices(catalog.STAGES, weights=stage_weights)[0]
            record_id, producer = self._id(RecordKind.LEAD), self._producer()
            address = pool.address()
            first = last = company = ""
            if rng.random() < 0.1:
                company = pool.company()
                email, name = pool.business_email(company), company
            else:
                first, last = pool.first(), pool.last()
                email, name = pool.email(first, last), f"{first} {last}"
            phone = pool.phone() if rng.random() < 0.9 else ""
            created = self._moment(540)
            quoted = stage in ("Quoted", "Negotiating", "Won")
            xdate = self.today + timedelta(days=rng.randint(-20, 330))
            tags = tuple(sorted(set(rng.sample(catalog.LEAD_TAGS, rng.choice((0, 0, 1, 2))))))
            updated = min(self.now, created + timedelta(days=rng.randint(0, 20)))
            self.leads.append(Party(RecordKind.LEAD, record_id, name, email, phone, producer))
            yield Lead(
                id=record_id, first_name=first, last_name=last, business_name=company,
                email=email, phone=phone, street=address.street, city=address.city,
                state=address.state, zip_code=address.zip_code, status=status,
                pipeline=catalog.PIPELINE, stage=stage,
                source=_weighted(rng, catalog.LEAD_SOURCES), producer=producer,
                x_date=xdate if rng.random() < 0.7 else None,
                quoted_premium_cents=rng.randint(600, 9000) * 100 if quoted else None,
                tags=tags, created_at=created, updated_at=updated,
            )  # fmt: skip

    # --- conversations, tasks, notes --------------------------------------------------------
    def _party(self) -> Party:
        if self.leads and (not self.customers or self.rng.random() < 0.25):
            return self.rng.choice(self.leads)
        return self.rng.choice(self.customers)

    def thread_records(self) -> Iterator[Thread | Message]:
        rng = self.rng
        mean = self.size.messages_per_thread
        for _ in range(self.size.threads):
            party = self._party()
            sms = rng.random() < 0.3 and bool(party.phone)
            thread_id = self._id(RecordKind.THREAD)
            count = max(1, round(rng.uniform(1, 2 * mean - 1)))
            last_at = self._moment(60)
            subject, script = conversations.conversation(
                rng,
                customer=party.name.split(" ")[0],
                agent=party.producer.split(" ")[0] or "your agent",
                line=rng.choice(catalog.TASK_LINES),
                text=sms,
                most=count,
            )
            times = conversations.spaced_times(rng, last_at, len(script))
            count = len(script)
            counterpart = party.phone if sms else (party.email or party.name)
            messages: list[Message] = []
            for (inbound, body), sent in zip(script, times, strict=True):
                messages.append(
                    Message(
                        id=self._id(RecordKind.MESSAGE), thread_id=thread_id,
                        direction=Direction.INBOUND if inbound else Direction.OUTBOUND,
                        sender=counterpart if inbound else party.producer, body=body,
                        sent_at=sent, created_at=sent, updated_at=sent,
                    )
                )  # fmt: skip
            unread = messages[-1].direction is Direction.INBOUND and rng.random() < 0.45
            yield Thread(
                id=thread_id, channel=Channel.SMS if sms else Channel.EMAIL, subject=subject,
                customer_id=party.id if party.kind is RecordKind.CUSTOMER else None,
                lead_id=party.id if party.kind is RecordKind.LEAD else None,
                counterpart=counterpart, last_message_at=last_at, unread=unread,
                message_count=count, producer=party.producer, created_at=times[0],
                updated_at=last_at,
            )  # fmt: skip
            yield from messages

    def task_records(self) -> Iterator[Task]:
        rng = self.rng
        titles: dict[tuple[RecordKind, int], set[str]] = {}  # a person's tasks so far
        for _ in range(self.size.tasks):
            party = self._party() if rng.random() < 0.9 else None
            kind, template = rng.choice(catalog.TASK_TEMPLATES if party else catalog.AGENCY_TASKS)
            line = rng.choice(catalog.TASK_LINES)
            name = party.name if party else ""
            if party is not None:  # one person's timeline never lists the same task twice
                had = titles.setdefault((party.kind, party.id), set())
                for _again in range(50):  # (a handful of tasks each: a fresh title is near)
                    if template.format(name=name, line=line) not in had:
                        break
                    kind, template = rng.choice(catalog.TASK_TEMPLATES)
                    line = rng.choice(catalog.TASK_LINES)
                had.add(template.format(name=name, line=line))
            bucket = rng.choices(("overdue", "today", "upcoming", "undated", "done"),
                                 (14, 7, 52, 5, 22))[0]  # fmt: skip
            offsets = {"overdue": (-30, -1), "today": (0, 0), "upcoming": (1, 45), "done": (-60, 0)}
            due = None
            if bucket in offsets:
                due = self.today + timedelta(days=rng.randint(*offsets[bucket]))
            created = self._moment(90)
            done = bucket == "done"
            yield Task(
                id=self._id(RecordKind.TASK), title=template.format(name=name, line=line),
                task_kind=TaskKind(kind), status=TaskStatus.DONE if done else TaskStatus.OPEN,
                due_date=due, due_time=f"{rng.randint(8, 16):02d}:{rng.choice(('00', '30'))}"
                if rng.random() < 0.3 else "",
                assignee=party.producer if party else self._producer(),
                customer_id=party.id if party and party.kind is RecordKind.CUSTOMER else None,
                lead_id=party.id if party and party.kind is RecordKind.LEAD else None,
                comments=rng.choice(catalog.TASK_COMMENTS) if rng.random() < 0.3 else "",
                completed_at=self._moment(30) if done else None,
                created_at=created, updated_at=created,
            )  # fmt: skip

    def note_records(self) -> Iterator[Note]:
        """Notes on leads and customers; a household's timeline (every member's notes) never
        says the same thing twice: a person whose household has heard every line gets none."""
        said: dict[tuple[RecordKind, int | str], set[str]] = {}
        made = 0
        while made < self.size.notes:
            party = self._party()
            household = ""
            if party.kind is RecordKind.CUSTOMER:
                household = self.household_of.get(party.id, "")
            key = (party.kind, household or party.id)
            lines = [line for line in catalog.NOTE_LINES if line not in said.get(key, ())]
            if not lines:
                continue
            body = self.rng.choice(lines)
            said.setdefault(key, set()).add(body)
            at = self._moment(400)
            made += 1
            yield Note(
                id=self._id(RecordKind.NOTE), parent_kind=party.kind, parent_id=party.id,
                body=body, author=party.producer, created_at=at, updated_at=at,
            )  # fmt: skip
