import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_it_signs_up_a_new_owner_and_logs_them_in(client, db):
    response = client.post(
        reverse("signup"),
        {"username": "carol", "email": "", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Welcome to MotoVault, carol." in response.content.decode()
    assert response.context["user"].username == "carol"


def test_it_explains_why_a_signup_is_refused(client, db):
    response = client.post(
        reverse("signup"),
        {"username": "carol", "password1": "123", "password2": "124"},
    )
    assert response.status_code == 200
    assert "The two password fields didn" in response.content.decode()
    assert not User.objects.filter(username="carol").exists()


def test_it_logs_in_with_the_right_password(client, owner):
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.context["user"] == owner


def test_it_refuses_a_wrong_password_with_a_message(client, owner):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def fail_to_sign_in(client, username="alice", **headers):
    return client.post(reverse("login"), {"username": username, "password": "wrong"}, **headers)


def sign_in(client, username="alice", **headers):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}, **headers)


HERE, ELSEWHERE = {"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "198.51.100.2"}


def test_it_locks_the_login_after_repeated_failures(client, owner):
    for _ in range(5):
        fail_to_sign_in(client)
    response = sign_in(client)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_does_not_lock_the_owner_out_from_another_address(client, owner):
    for _ in range(5):
        fail_to_sign_in(client, **HERE)
    # The stranger's address stays locked for this account...
    assert sign_in(client, **HERE).status_code == 429
    # ...and the owner, elsewhere, signs in.
    response = sign_in(Client(), **ELSEWHERE)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_locks_one_address_trying_many_usernames(client, owner, settings):
    for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT):
        assert fail_to_sign_in(client, f"guess{n}", **HERE).status_code in (200, 429)
    assert sign_in(client, **HERE).status_code == 429
    assert sign_in(client, **ELSEWHERE).status_code == 302


def test_it_lets_an_address_try_many_usernames_below_its_limit(client, owner, settings):
    for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT - 1):
        fail_to_sign_in(client, f"guess{n}", **HERE)
    assert sign_in(client, **HERE).status_code == 302


def test_it_keeps_counting_after_the_guesser_signs_in_to_their_own_account(client, owner):
    User.objects.create_user("mallory", password=PASSWORD)
    for _ in range(4):
        fail_to_sign_in(client, **HERE)
    assert sign_in(Client(), "mallory", **HERE).status_code == 302
    fail_to_sign_in(client, **HERE)
    assert sign_in(client, **HERE).status_code == 429


def test_it_slows_guesses_at_one_username_from_many_addresses(client, owner):
    for n in range(10):
        fail_to_sign_in(Client(), REMOTE_ADDR=f"192.0.2.{n + 1}")
    # A sixth address must wait, even with the right password, which is not even checked...
    response = sign_in(client, REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 200
    assert "Please wait 10 seconds and try again." in response.content.decode()
    assert "_auth_user_id" not in client.session
    # ...and no further failure is recorded for it.
    assert AccessAttempt.objects.filter(ip_address="192.0.2.99").count() == 0


def test_it_lets_a_slowed_username_in_once_the_wait_is_over(client, owner):
    for n in range(10):
        fail_to_sign_in(Client(), REMOTE_ADDR=f"192.0.2.{n + 1}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(seconds=11))
    assert sign_in(client, REMOTE_ADDR="192.0.2.99").status_code == 302


def test_it_does_not_slow_the_owner_at_an_address_they_signed_in_from(client, owner):
    sign_in(Client(), **HERE)
    for n in range(10):
        fail_to_sign_in(Client(), REMOTE_ADDR=f"192.0.2.{n + 1}")
    assert sign_in(client, **HERE).status_code == 302


def test_it_tells_clients_apart_behind_a_trusted_proxy(client, owner, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(5):
        # What the client wrote itself comes first, and does not hide it.
        forwarded = "192.0.2.1, 203.0.113.7"
        fail_to_sign_in(client, HTTP_X_FORWARDED_FOR=forwarded, **proxy)
    assert sign_in(client, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 429
    # Another client behind the same proxy is not locked out with the first.
    assert sign_in(client, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code == 302


def test_it_counts_failures_for_a_username_longer_than_any_account(client, db):
    for _ in range(4):
        response = fail_to_sign_in(client, "x" * 5000)
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    assert fail_to_sign_in(client, "x" * 5000).status_code == 429


@pytest.mark.parametrize("owners", [1, 200])
def test_the_login_page_needs_no_query(client, db, owners, django_assert_num_queries):
    User.objects.bulk_create(User(username=f"owner{i}") for i in range(owners))
    with django_assert_num_queries(0):
        assert client.get(reverse("login")).status_code == 200


def test_it_logs_out_only_by_post(owner_client):
    assert owner_client.get(reverse("logout")).status_code == 405
    response = owner_client.post(reverse("logout"))
    assert response.status_code == 302
    assert owner_client.get("/").status_code == 302


def test_it_changes_the_password(owner_client, owner):
    response = owner_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("another-long-passphrase")


def test_it_emails_a_password_reset_link(client, owner, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_it_refuses_the_admin_to_non_staff(owner_client):
    response = owner_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_opens_the_admin_to_staff(admin_client):
    assert admin_client.get("/admin/").status_code == 200


def test_it_shows_the_empty_dashboard_with_what_to_do_next(owner_client):
    response = owner_client.get("/")
    assert response.status_code == 200
    assert "Add your first vehicle" in response.content.decode()
