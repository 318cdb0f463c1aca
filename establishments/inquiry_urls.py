"""URLs of the establishments app (see establishments/urls.py): the liaison officer's inquiries
and the "to whom it may concern" letter. No establishment id: the officer's own is used."""

from django.urls import path

from . import inquiries

urlpatterns: list = [
    path("inquiries/data/", inquiries.establishment_data, name="inquiry_data"),
    path("inquiries/liaison-officer/", inquiries.liaison_data, name="inquiry_liaison"),
    path("inquiries/employees/", inquiries.employees, name="inquiry_active_employees"),
    path(
        "inquiries/employees/export.xlsx",
        inquiries.employees_xlsx,
        name="inquiry_active_employees_xlsx",
    ),
    path("inquiries/employee/", inquiries.employee_lookup, name="inquiry_employee_lookup"),
    path("inquiries/employee/<str:number>/", inquiries.employee, name="inquiry_employee"),
    path("inquiries/movements/", inquiries.movements, name="inquiry_movements"),
    path("inquiries/unentered-wages/", inquiries.unentered, name="inquiry_unentered_wages"),
    path("inquiries/injuries/", inquiries.injuries, name="inquiry_injuries"),
    path("letter/", inquiries.letter, name="letter"),
]
