"""The kinds of message profiles sends (accounts.mail.MessageKind)."""

from accounts.mail import MessageKind

MODERATION_HIDDEN = MessageKind("profiles.moderation_hidden", template="profiles/email/moderation_hidden")
