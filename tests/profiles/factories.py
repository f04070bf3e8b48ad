import io

import factory
from PIL import Image

from profiles.models import CandidateProfile
from profiles.photos import profile_photo_store
from tests.accounts.factories import CandidateFactory


def sample_jpeg(size: tuple[int, int] = (640, 480), colour: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


class CandidateProfileFactory(factory.django.DjangoModelFactory):
    """A candidate's profile, empty apart from its owner."""

    class Meta:
        model = CandidateProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(CandidateFactory)


class CandidateProfileWithPhotoFactory(CandidateProfileFactory):
    """A profile whose photo was uploaded through the real pipeline."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def photo(self, create, extracted, **kwargs):
        if not create:
            return
        hidden = self.photo_hidden  # a new photo is never hidden: hide it again if asked
        profile_photo_store(profile=self, data=extracted or sample_jpeg(), source="upload")
        if hidden:
            CandidateProfile.objects.filter(pk=self.pk).update(photo_hidden=True)
            self.photo_hidden = True
