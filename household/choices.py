"""The lists the household forms offer (reference data, not rules: no figure depends on them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    RIYADH = "riyadh", _("Riyadh")
    MAKKAH = "makkah", _("Makkah")
    MADINAH = "madinah", _("Madinah")
    QASSIM = "qassim", _("Qassim")
    EASTERN = "eastern", _("Eastern Province")
    ASIR = "asir", _("Asir")
    TABUK = "tabuk", _("Tabuk")
    HAIL = "hail", _("Hail")
    NORTHERN = "northern", _("Northern Borders")
    JAZAN = "jazan", _("Jazan")
    NAJRAN = "najran", _("Najran")
    BAHA = "baha", _("Al-Baha")
    JOUF = "jouf", _("Al-Jouf")


class Office(models.TextChoices):
    """The social security offices where the application is reviewed."""

    RIYADH = "riyadh", _("Social security office in Riyadh")
    JEDDAH = "jeddah", _("Social security office in Jeddah")
    MAKKAH = "makkah", _("Social security office in Makkah")
    MADINAH = "madinah", _("Social security office in Madinah")
    DAMMAM = "dammam", _("Social security office in Dammam")
    AHSA = "ahsa", _("Social security office in Al-Ahsa")
    BURAYDAH = "buraydah", _("Social security office in Buraydah")
    ABHA = "abha", _("Social security office in Abha")
    TABUK = "tabuk", _("Social security office in Tabuk")
    HAIL = "hail", _("Social security office in Hail")
    ARAR = "arar", _("Social security office in Arar")
    JAZAN = "jazan", _("Social security office in Jazan")
    NAJRAN = "najran", _("Social security office in Najran")
    BAHA = "baha", _("Social security office in Al-Baha")
    SAKAKA = "sakaka", _("Social security office in Sakaka")


class Category(models.TextChoices):
    FAMILY = "family", _("A family with a breadwinner")
    INDEPENDENT = "independent", _("An independent person")
    WIDOW = "widow", _("A widow and her children")
    DIVORCEE = "divorcee", _("A divorcee and her children")
    ORPHANS = "orphans", _("Orphans")


class Employment(models.TextChoices):
    GOVERNMENT = "government", _("Employed in the government sector")
    PRIVATE = "private", _("Employed in the private sector")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    UNEMPLOYED = "unemployed", _("Not working")
    RETIRED = "retired", _("Retired")
    STUDENT = "student", _("Student")
    UNABLE = "unable", _("Unable to work")


class Education(models.TextChoices):
    NONE = "none", _("Cannot read and write")
    LITERATE = "literate", _("Reads and writes")
    PRIMARY = "primary", _("Primary")
    INTERMEDIATE = "intermediate", _("Intermediate")
    SECONDARY = "secondary", _("Secondary")
    DIPLOMA = "diploma", _("Diploma")
    BACHELOR = "bachelor", _("Bachelor's degree")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class ChangeKind(models.TextChoices):
    MEMBER_JOINED = "member_joined", _("A member joined the household (birth, marriage)")
    MEMBER_LEFT = "member_left", _("A member left the household (death, marriage, moved out)")
    INCOME = "income", _("A change of income or work")
    RESIDENCE = "residence", _("A change of residence or travel abroad")
    HEALTH = "health", _("A change of health or disability")
    OTHER = "other", _("Another change")


class BreadwinnerRelation(models.TextChoices):
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    HUSBAND = "husband", _("Husband")
    WIFE = "wife", _("Wife")
    BROTHER = "brother", _("Brother")
    SISTER = "sister", _("Sister")
    SON = "son", _("Son")
    DAUGHTER = "daughter", _("Daughter")
    UNCLE = "uncle", _("Uncle")
    GUARDIAN = "guardian", _("Legal guardian")
