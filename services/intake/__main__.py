from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared.serve import serve

serve(create_app, IntakeSettings())
