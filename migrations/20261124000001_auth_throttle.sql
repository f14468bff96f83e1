-- Throttling by account and address together, and of sign-ups.
--
-- `login_failures.client_ip` now holds the client's network rather than its
-- exact address: an IPv4 address, or an IPv6 /64 written as `prefix::/64`,
-- since one IPv6 subscriber usually holds a whole /64 and could otherwise
-- rotate through its addresses to dodge every per-address limit. Old rows
-- hold plain addresses, which are also their IPv4 network; IPv6 rows age out
-- of the window within minutes.

-- Failures of one account from one network: the limit with progressive delays.
create index login_failures_pair_idx on login_failures (account_key, client_ip, failed_at);

-- Where each account last logged in successfully. The per-address and
-- per-account ceilings do not apply to an account on its usual network, so
-- that neither a spray from a shared NAT nor a distributed attack locks the
-- owner out where they normally log in. Rows older than 30 days are pruned.
create table login_usual_networks (
    account_key text not null,
    client_ip text not null,
    last_success_at timestamptz not null default now(),
    primary key (account_key, client_ip)
);

-- Sign-up attempts per network, counted like failed logins. "An account with
-- this email already exists" tells whether an email has an account; this
-- bounds how fast anyone can ask.
create table registration_attempts (
    id bigint generated always as identity primary key,
    client_ip text not null,
    attempted_at timestamptz not null default now()
);

create index registration_attempts_ip_idx on registration_attempts (client_ip, attempted_at);
