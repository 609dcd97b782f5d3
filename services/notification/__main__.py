from services.notification.app import create_app
from services.notification.settings import NotificationSettings
from shared.serve import serve

serve(create_app, NotificationSettings())
