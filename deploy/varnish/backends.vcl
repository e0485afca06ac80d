# The app servers of deploy/compose.yaml; add one line per server and one add_backend() call.
backend app1 { .host = "app1"; .port = "8000"; .probe = health; }
backend app2 { .host = "app2"; .port = "8000"; .probe = health; }

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
    app.add_backend(app2);
}
