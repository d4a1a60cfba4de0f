from nabij.core.exceptions import ApplicationError


class PublishBlocked(ApplicationError):
    """A project cannot be published yet; `problems` lists every reason (one Dutch message each)."""

    status_code = 422

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(" ".join(message for _, message in problems), field="kaders")
        self.problems = problems


class NeedsConfirmation(ApplicationError):
    """The public texts are harder than B1: publishing needs an explicit confirmation."""

    status_code = 409
