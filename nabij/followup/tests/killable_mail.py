"""A mail backend for the killed-worker test (test_worker_recovery.py): it appends each recipient to the file in
NABIJ_TEST_MAIL_LOG once the message is "sent", and after NABIJ_TEST_MAIL_HANG_AFTER messages it hangs, so the
test can kill the worker process in the middle of a digest run."""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class KillableMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        hang_after = int(os.environ.get("NABIJ_TEST_MAIL_HANG_AFTER", "-1"))
        path = os.environ["NABIJ_TEST_MAIL_LOG"]
        for message in email_messages:
            with open(path, "a+", encoding="utf-8") as log:
                log.seek(0)
                sent = len(log.read().splitlines())
                if 0 <= hang_after <= sent:
                    log.close()
                    time.sleep(600)  # killed here
                log.write(f"{message.to[0]}\n")
        return len(email_messages)
