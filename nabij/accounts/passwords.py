"""Password rules (ASVS 6.2, docs/decisions/0018): Django's validators with our own plain-Dutch messages.

The rules are Django's: at least 12 characters, not one of the 20,000 most common passwords, not like the user's
name or e-mail address, not only digits. Django's own Dutch texts are correct but stiff ("Dit wachtwoord is te
kort. Het moet minimaal 12 tekens bevatten."); these say what to do instead, at B1 level.
"""

from django.contrib.auth import password_validation as django_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short. Use at least %(min_length)d character, for example a short sentence.",
            "This password is too short. Use at least %(min_length)d characters, for example a short sentence.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "At least %(min_length)d character. A short sentence of a few words is easy to remember.",
            "At least %(min_length)d characters. A short sentence of a few words is easy to remember.",
            self.min_length,
        ) % {"min_length": self.min_length}


class SimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    """Compared with what others know of you: your e-mail address and your name."""

    def __init__(self, user_attributes=("email", "full_name"), max_similarity=0.7):
        super().__init__(user_attributes=user_attributes, max_similarity=max_similarity)

    def get_error_message(self):
        return _("This password looks too much like your %(verbose_name)s. Choose something else.")

    def get_help_text(self):
        return _("Not like your name or e-mail address.")


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("Many people use this password, so it is easy to guess. Choose something else.")

    def get_help_text(self):
        return _("Not a password that many people use.")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("A password of only digits is easy to guess. Add letters or words.")

    def get_help_text(self):
        return _("Not only digits.")
