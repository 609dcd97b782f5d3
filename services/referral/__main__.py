from services.referral.app import create_app
from services.referral.settings import ReferralSettings
from shared.serve import serve

serve(create_app, ReferralSettings())
