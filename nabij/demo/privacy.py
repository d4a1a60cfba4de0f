"""The demo app in the privacy registry (nabij.privacy.registry): which demo parts were loaded."""

from nabij.privacy.registry import register_not_personal

register_not_personal("demo.DemoLoad", reason="which app's demo data was loaded, and when")
