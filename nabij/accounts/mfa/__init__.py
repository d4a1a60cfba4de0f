"""The second factor of every staff account (issue 14, ASVS V6): a code from an authenticator app (TOTP), a
passkey (WebAuthn) or a single-use recovery code, on top of the password.

- `rules.py`: the one rule, "this session passed a second factor", used by the middleware and the API.
- `middleware.py`: sends a logged-in but unverified session to the verify step (or to enrolment).
- `services.py`: enrolment, verification, recovery codes, the beheerder's reset; every change audited.
- `views.py` / `webauthn.py` / `urls.py`: the pages under /account/tweestapsverificatie/.
- `testing.py`: how tests log in with a verified session without walking the second step.

Devices are django-otp's own models (`otp_totp`, `otp_static`, `django_otp_webauthn`); see
docs/decisions/0015-second-factor-django-otp.md and 0016-passkeys-django-otp-webauthn.md.
"""
