-- One database per service.
CREATE DATABASE intake;
CREATE DATABASE referral;
CREATE DATABASE notification;
