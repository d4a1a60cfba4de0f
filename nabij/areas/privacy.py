"""Areas in the privacy registry (nabij.privacy.registry): CBS gemeenten, wijken and buurten are public."""

from nabij.privacy.registry import register_not_personal

for _model in ("Gemeente", "Wijk", "Buurt"):
    register_not_personal(f"areas.{_model}", reason="public CBS areas")
