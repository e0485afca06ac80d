# The caching reverse proxy in front of the app servers (docs/operations.md, "Scaling out").
#
# What it keeps: only what the app's own page cache stored, which the app marks with `s-maxage`
# (core/page_cache.py), plus /static/ and /media/ for the lifetimes the app gives them (a year
# or more for hashed or uniquely named files). Anything else goes to an app server every time.
# Staying fresh: every change the app makes sends PURGE here (FRONTEND_CACHE_URLS). A change the app knows
# the reach of (an event application, a moderation decision, the search index, a publish below the top
# level) names the tags of the pages that show it in X-Purge-Tags, and only pages the app stored with one of
# them (X-Cache-Tags) are banned; any other change (a setting, the menu) sends no tags and bans the whole
# cache, as a setting shows on every page. (Wagtail's own per-address purge is not installed: a PURGE
# without tags, of any address, bans everything here.) Bans test only obj.* (the ban
# lurker clears them in the background) and need no module beyond Varnish's own.
vcl 4.1;

import directors;
import std;

# /health/ answers 503 when an app server cannot serve (its database or cache is gone).
probe health {
    .url = "/health/";
    .interval = 1s;
    .timeout = 2s;
    .window = 3;
    .threshold = 2;
}

# The app servers and the `app` director: backends.vcl beside this file (compose: app1, app2), or the
# one .ci/scale-out writes for its local ports.
include "./backends.vcl";

# Who may purge: the app servers and the worker, on the private network.
acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.http.X-Purge-Tags) {
            # "register event:12": the app's tags are letters, digits, ":", "_" and "-" (core/page_cache.py),
            # and each stored page lists its own between commas (",register,event:12,"), so the pattern
            # ",(register|event:12)," matches whole tags only.
            if (req.http.X-Purge-Tags !~ "^[a-z0-9:_ -]+$") {
                return (synth(400, "Bad tags"));
            }
            ban("obj.http.X-Cache-Tags ~ ,(" + regsuball(req.http.X-Purge-Tags, " +", "|") + "),");
            return (synth(200, "Purged tags"));
        }
        ban("obj.status != 0");
        return (synth(200, "Purged"));
    }
    # A request's body is received whole here, on Varnish's own threads (thousands of them), before an app
    # server sees it: gunicorn's workers then never wait on a slow client (deploy/gunicorn.conf.py). The
    # limit is core/limits.py's REQUEST_BODY_MAX_SIZE (VCL's MB is 1024 x 1024 bytes);
    # tests/test_slow_clients.py checks that the two agree.
    if (!std.cache_req_body(32MB)) {
        return (synth(413, "Content Too Large"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The same rule as the app's page cache: staff, sessions (an application in progress) and
    # messages are never answered from here.
    if (req.url ~ "^/admin/" || req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Other cookies (csrftoken) stay on the request for the app but out of the cache key; a page that
    # uses them sets a cookie and is never kept.
    return (hash);
}

sub vcl_backend_fetch {
    # Chosen per attempt, so a retry goes to the next app server.
    set bereq.backend = app.backend();
}

sub vcl_backend_response {
    if (bereq.url ~ "^/(static|media)/") {
        # Whatever the app says (WhiteNoise: ten years for hashed names; media.py: a year for images).
        set beresp.grace = 0s;
        if (beresp.http.Content-Type ~ "^(text/|application/(javascript|json|xml))|image/svg" && !beresp.http.Content-Encoding) {
            set beresp.do_gzip = true;
        }
        return (deliver);
    }
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "s-maxage") {
        # Not stored by the app's page cache, so never purged with it: not kept here either.
        set beresp.uncacheable = true;
        set beresp.ttl = 5s;
        return (deliver);
    }
    # A stored page expires when the app says (before midnight in Japan); no stale copy while refetching.
    set beresp.grace = 0s;
    if (beresp.http.Content-Type ~ "^(text/|application/(json|xml|atom\+xml|rss\+xml))" && !beresp.http.Content-Encoding) {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_backend_error {
    # An app server that stopped (or is stopping) refuses the connection: try the next one.
    if (bereq.retries < 3 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }
}

sub vcl_synth {
    if (resp.status == 413) {
        # The app's own 413 page (templates/413.html) says the same; this one is answered before the app.
        set resp.http.Content-Type = "text/html; charset=utf-8";
        set resp.http.Cache-Control = "no-store";
        synthetic({"<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>送信されたデータが大きすぎます</title></head>
<body><h1>送信されたデータが大きすぎます</h1>
<p>一度に送信できるのは32MBまでです。送信された内容は保存されていません。</p>
<p>添付するファイルを小さくしてから、前の画面に戻り、もう一度送信してください。</p>
<p><a href="/">トップページへ戻る</a></p></body></html>
"});
        return (deliver);
    }
}

sub vcl_deliver {
    # What a page shows is for the bans above, not for visitors.
    unset resp.http.X-Cache-Tags;
    if (obj.hits > 0) {
        set resp.http.X-Proxy-Cache = "hit";
    } else {
        set resp.http.X-Proxy-Cache = "miss";
    }
}
