"""Events of organizations (meetups, seminars, conferences), RSVPs, waitlists, calendars."""
